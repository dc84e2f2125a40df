#!/usr/bin/env node
// Runs the TypeScript CLI directly: Node >= 22.18 strips types natively.
import { run } from "../src/cli.ts";

run(process.argv.slice(2));
