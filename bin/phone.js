#!/usr/bin/env node
import '../dist/phone.js';
