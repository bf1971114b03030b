// Help text of the root command and hints of the error handler: text only, kept out of cli.ts.

/** A help's Examples section, each line a command as typed. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

export const ROOT_HELP_AFTER = `
Examples:
  $ phone auth login
  $ phone create --user-id user_2x --phone-number "+1 201 555 0123" --verified
  $ phone get +12015550123 | jq -r .id
  $ phone list --user-id user_2x
  $ phone create --file seed.jsonl --skip-existing > made.jsonl
  $ phone delete --file made.jsonl --yes

Environment:
  CLERK_SECRET_KEY   secret key (sk_test_… or sk_live_…), used unless --secret-key-file or a --profile gives one
  CLERK_API_URL      API base URL (default https://api.clerk.com; /v1 is appended)
  PHONE_PROFILE      the config profile to use, as --profile
  PHONE_DEBUG        1 turns on --debug
  PHONE_CREDENTIAL_STORE  file: 'phone auth login' writes the user config file, never the OS credential store
  NO_COLOR           any value turns color off
  FORCE_COLOR        turns color on (0 turns it off)

Config files: the nearest project file (package.json key "phone", .phonerc, .phonerc.json,
.phonerc.yaml, .phonerc.yml, from the working directory up) and the user file
($XDG_CONFIG_HOME/phone/ or ~/.config/phone/: config, config.json, config.yaml), merged key by
key, the project file winning. Keys: secretKey, apiUrl (a project file: only Clerk or loopback),
output (on a terminal; piped output is JSON unless -o says otherwise), retries, timeout, rate, and
profiles: {<name>: {same keys}}. Precedence: flags, --profile, environment, project file, user
file, defaults. A key stored by 'phone auth login' in the OS credential store comes after the
profile's key in the files (with --profile), else after every other key. See 'phone config'.

Exit codes:
  0    success
  1    the API refused the request, or an unexpected error
  2    usage: bad flag, argument, phone number, ID or config; declined confirmation
  3    not found
  4    authentication: no secret key, 401, or a 403 whose code says the key may not act
       (authorization_*, *_key_invalid); any other 403 refuses that request only: exit 1
  5    temporary failure that outlasted the retries: 429, 5xx, network error, timeout
  130  interrupted
`;

/** `--secret-key` stays unknown: a key on the command line lands in shell history and process lists. */
export const SECRET_KEY_FLAG_HINT =
  'phone never takes a key on the command line (it would land in shell history and process lists): ' +
  "run 'phone auth login' to store it, or pass --secret-key-file <path>, or set CLERK_SECRET_KEY";
