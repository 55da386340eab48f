/** What a check looks at, in one line, as lists, reports and the command line show it. */
import type { CheckSpec } from './index.ts';

/**
 * The URL (with its method unless GET), `db:5432` (`[::1]:5432`), `A www.example.com @ 1.1.1.1`, the
 * pinged host, the unit, the process name (`/regex/` for a command line), the container (`all
 * containers` for `*`), the command's name, the log file or `journal err nginx.service`, with the
 * pattern as `/pattern/`.
 */
export function checkTarget(spec: CheckSpec): string {
  switch (spec.type) {
    case 'http': return spec.method === 'GET' ? spec.url : `${spec.method} ${spec.url}`;
    case 'tcp': return `${spec.target.includes(':') && !spec.target.startsWith('[') ? `[${spec.target}]` : spec.target}:${spec.port}`;
    case 'dns': return `${spec.recordType} ${spec.query}${spec.server ? ` @ ${spec.server}` : ''}`;
    case 'ping': return spec.target;
    case 'systemd': return spec.unit;
    case 'process': return spec.match === 'name' ? spec.pattern : `/${spec.pattern}/`;
    case 'container': return spec.container === '*' ? 'all containers' : spec.container;
    case 'command': return spec.command;
    case 'log': {
      const where = spec.source === 'journal' ? `journal ${spec.priority}${spec.unit ? ` ${spec.unit}` : ''}` : spec.path;
      return spec.pattern ? `${where} /${spec.pattern}/` : where;
    }
  }
}
