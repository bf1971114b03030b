# Shared by the bash and zsh scripts: lookups in the tables generated from PROGNAME's commands,
# and the walk over the words before the cursor.

# _PROGID_completion_child CMD WORD: is WORD a subcommand of CMD? Sets _PROGID_completion__child to its path.
_PROGID_completion_child() {
  case "$1|$2" in
    #@child-cases: 'CMD|SUBCOMMAND'|'CMD|ALIAS') _PROGID_completion__child='CMD SUBCOMMAND' ;;
    *) return 1 ;;
  esac
}

# _PROGID_completion_spec CMD: the subcommands and options of CMD (zsh: name:description), the options that take a value, its arguments.
_PROGID_completion_spec() {
  _PROGID_completion_subs=() _PROGID_completion_opts=() _PROGID_completion_required=' ' _PROGID_completion_optional=' ' _PROGID_completion_nargs=0 _PROGID_completion_nrequired=0 _PROGID_completion_variadic=0
  case "$1" in
    #@spec-cases: 'CMD') and the values of the variables above, for every command
  esac
}

# _PROGID_completion_values CMD OPTION|#N: the choices (or files) for an option's value or the Nth
# argument, or in _PROGID_completion_ask the words that make PROGNAME print them.
_PROGID_completion_values() {
  _PROGID_completion_vals=() _PROGID_completion_files=0 _PROGID_completion_ask=()
  case "$1|$2" in
    #@value-cases: 'CMD|--option'|'CMD|#N') _PROGID_completion_vals=(CHOICE...) _PROGID_completion_files=0|1 [_PROGID_completion_ask=(WORD...)] ;;
    *) return 1 ;;
  esac
}

# _PROGID_completion_asked: what PROGNAME prints for the words in _PROGID_completion_ask (the profiles of
# the config in effect), given the --config of the command line; nothing if it fails.
_PROGID_completion_asked() {
  local -a config=()
  [[ -n $_PROGID_completion_config ]] && config=(--config "$_PROGID_completion_config")
  command PROGNAME "${config[@]}" -o table "${_PROGID_completion_ask[@]}" 2>/dev/null </dev/null
}

# _PROGID_completion_walk WORD...: reads the words before the cursor, after the program's name.
# Sets the caller's cmd (the command they name, whose spec is loaded), npos (how many arguments it
# has been given), endopts (1 after --), and skip and opt: skip is 1 when the word under the cursor
# is the value of the option opt, 2 when it may be; and _PROGID_completion_config (the --config given).
_PROGID_completion_walk() {
  local word
  _PROGID_completion_spec "$cmd"
  for word in "$@"; do
    if (( skip == 1 )) || { (( skip == 2 )) && [[ $word != -?* ]]; }; then
      # the value of the option before it (bash splits --opt=value at "=": skip that too)
      skip=0
      [[ $word == = ]] && skip=1
      [[ $opt == --config && $word != = ]] && _PROGID_completion_config=$word
      continue
    fi
    skip=0
    if (( ! endopts )) && [[ $word == -?* ]]; then
      if [[ $word == -- ]]; then
        endopts=1
      elif [[ $word == --config=* ]]; then
        _PROGID_completion_config=${word#--config=}
      elif [[ $word != *=* ]]; then
        if [[ $_PROGID_completion_required == *" $word "* ]]; then skip=1 opt=$word
        elif [[ $_PROGID_completion_optional == *" $word "* ]]; then skip=2 opt=$word
        fi
      fi
      continue
    fi
    if (( npos == 0 )) && _PROGID_completion_child "$cmd" "$word"; then
      cmd=$_PROGID_completion__child
      _PROGID_completion_spec "$cmd"
      continue
    fi
    npos=$(( npos + 1 ))
  done
}
