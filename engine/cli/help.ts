/** `asterism --help` and `asterism COMMAND --help`. */
import type { CommandDefinition } from '../command.js';
import { packageVersion } from '../registry.js';
import type { CliCommand } from './types.js';

/** The top-level help: every command with its one-line summary, and examples. */
export function mainHelp(commands: readonly CliCommand[], extra: readonly CommandDefinition[]): string {
  const visible = commands.filter((command) => command.hidden !== true);
  const rows: [string, string][] = [
    ...visible.map((command): [string, string] => [command.name, command.summary]),
    ...extra.map((command): [string, string] => [command.name, command.description]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return `asterism ${packageVersion()}: run YAML recipes of astronomy ML pipelines as a cached graph of steps

Usage: asterism COMMAND [options]

Commands:
${rows.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`).join('\n')}

Run \`asterism COMMAND --help\` for a command's options and examples.

Examples:
  asterism validate recipes/quickstart.yaml
  asterism run recipes/quickstart.yaml --set seed=3
  asterism plan recipes/quickstart.yaml
  asterism dag recipes/quickstart.yaml --format mermaid
  asterism steps difference

Exit codes: 0 ok, 1 a step failed, 2 invalid recipe or command line (nothing ran), 130 interrupted.
`;
}

/** Help of one built-in command. */
export function commandHelp(command: CliCommand): string {
  return `${command.summary}\n\nUsage: ${command.usage}\n\n${command.help}\n`;
}
