import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_NAMES } from './command-names.js';
import { COMMANDS } from './commands/index.js';

test("bconsole's completion list is exactly the Director's command table plus quit and exit", () => {
  const expected = [...COMMANDS.keys(), 'quit', 'exit'].sort();
  assert.deepEqual([...COMMAND_NAMES].sort(), expected);
  assert.equal(new Set(COMMAND_NAMES).size, COMMAND_NAMES.length, 'COMMAND_NAMES has duplicates');
});

test('every command is registered under its own name', () => {
  for (const [name, command] of COMMANDS) assert.equal(command.name, name);
});
