// `mq completion bash|zsh`: a completion script generated from the command tree itself, so it
// never drifts from the commands. zsh loads the bash function through bashcompinit.
import type { Command } from 'commander';
import { UsageError } from '../cli-error';
import type { CliIO } from '../context';

function optionWords(cmd: Command): string[] {
  return cmd.options.flatMap((o) => [o.long, o.short].filter((x): x is string => x !== undefined));
}

/** Every command path ("", "topics", "topics list", ...) with the words that may follow it. */
function table(program: Command): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  const walk = (cmd: Command, path: string): void => {
    const subs = cmd.commands.filter((c) => c.name() !== 'help').map((c) => c.name());
    out.push([path, [...subs, ...optionWords(cmd), '--help']]);
    for (const c of cmd.commands) walk(c, path ? `${path} ${c.name()}` : c.name());
  };
  walk(program, '');
  return out;
}

export function bashScript(program: Command): string {
  const cases = table(program)
    .map(([path, words]) => `    "${path}") echo "${words.join(' ')}" ;;`)
    .join('\n');
  return `# mq completion for bash: source <(mq completion bash)
_mq_words() {
  case "$1" in
${cases}
    *) return 1 ;;
  esac
}
_mq() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    if _mq_words "\${path:+$path }$w" >/dev/null; then path="\${path:+$path }$w"; fi
  done
  COMPREPLY=($(compgen -W "$(_mq_words "$path")" -- "$cur"))
}
complete -F _mq mq
`;
}

export function registerCompletion(program: Command, io: CliIO): void {
  program
    .command('completion <shell>')
    .description('print a shell completion script: bash or zsh (e.g. source <(mq completion bash))')
    .action((shell: string) => {
      if (shell === 'bash') io.stdout.write(bashScript(program));
      else if (shell === 'zsh') io.stdout.write(`# mq completion for zsh: source <(mq completion zsh)\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(program)}`);
      else throw new UsageError(`no completion for shell "${shell}" (have bash, zsh)`);
    });
}
