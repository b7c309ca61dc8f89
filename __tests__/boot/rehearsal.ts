/**
 * Boot rehearsal of a Linux processing node: the cloud-config exactly as the construct renders it is written out
 * under a scratch root (PGM_ROOT) and its runcmd runs under bash with stub commands first on PATH. The stubs log
 * every argv (one JSON array a line) and answer like the machine would: the instance metadata service hands out a
 * token, Key Vault answers 403 for the first N reads (the role assignment is still propagating), then the secret.
 * `sleep` returns at once (it is logged), `systemctl` only logs. Metashape is a stub unpacked by the `tar` stub; it
 * runs the rendered activation script (metashape.sh -r) with the real python3 against a fake `Metashape` module.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';

export interface Machine {
  readonly root: string;
  readonly stubs: string;
  readonly state: string;
  readonly log: string;
}

export interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

/** Kernel releases the `uname` stub reports. */
export const KERNELS = { ubuntu: '5.15.0-1068-azure', alma: '5.14.0-427.13.1.el9_4.x86_64' } as const;

const OS_RELEASE = {
  ubuntu: 'NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=jammy\n',
  alma: 'NAME="AlmaLinux"\nVERSION_ID="9.4"\nID="almalinux"\nID_LIKE="rhel centos fedora"\n',
} as const;

const LOG_ARGV = `python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$(basename "$0")" "$@" >> "$STUB_LOG"`;

/** name → body (after the shebang and the argv log line). */
const STUBS: Record<string, string> = {
  curl: `
out=''; config=''; url=''
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift ;;
    -K) [ "$2" = - ] && config=$(cat); shift ;;
    -H|--max-time|--retry|--retry-delay) shift ;;
    -*) ;;
    *) url=$1 ;;
  esac
  shift
done
case "$url" in
  http://169.254.169.254/metadata/identity/oauth2/token*) printf '{"access_token": "%s", "token_type": "Bearer"}' "$STUB_TOKEN" ;;
  */secrets/*)
    n=$(( $(cat "$STUB_STATE/vault-reads" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$STUB_STATE/vault-reads"
    printf '%s' "$config" > "$STUB_STATE/curl-config.$n"
    case "$config" in *"Bearer $STUB_TOKEN"*) ;; *) echo 'curl: (22) The requested URL returned error: 401' >&2; exit 22 ;; esac
    if [ "$n" -le "$STUB_VAULT_FAILURES" ]; then echo 'curl: (22) The requested URL returned error: 403' >&2; exit 22; fi
    printf '{"value": "%s", "id": "%s"}' "$STUB_CODE" "$url" ;;
  https://packages.microsoft.com/keys/microsoft.asc) echo 'FAKE KEY' ;;
  https://*) [ -n "$out" ] && echo 'fake tarball' > "$out" ;;
  *) echo "curl stub: unexpected URL $url" >&2; exit 6 ;;
esac`,
  tar: `
dir=''
while [ $# -gt 0 ]; do [ "$1" = -C ] && dir=$2; shift; done
cp "$STUB_DIR/fake-metashape.sh" "$dir/metashape.sh"; chmod 755 "$dir/metashape.sh"`,
  gpg: `
while [ $# -gt 0 ]; do [ "$1" = -o ] && cat > "$2"; shift; done`,
  getent: `[ -e "$STUB_STATE/group-$2" ] && echo "$2:x:7007:"`,
  groupadd: `
name=\${*: -1}
if [ -e "$STUB_STATE/group-$name" ]; then echo "groupadd: group '$name' already exists" >&2; exit 9; fi
touch "$STUB_STATE/group-$name"`,
  useradd: `
name=\${*: -1}
if [ -e "$STUB_STATE/user-$name" ]; then echo "useradd: user '$name' already exists" >&2; exit 9; fi
touch "$STUB_STATE/user-$name"`,
  id: `[ -e "$STUB_STATE/user-\${*: -1}" ] && echo 7007`,
  uname: `[ "$1" = -m ] && echo x86_64 || echo "$STUB_KERNEL"`,
  hostname: 'echo pgmnode000001',
  'nvidia-smi': '[ "${1:-}" = -L ] && echo "GPU 0: NVIDIA A100 80GB PCIe (UUID: GPU-0)"; exit 0',
  runuser: `
[ "$1" = -u ] && [ "$3" = -- ] || { echo "runuser stub: expected -u USER -- COMMAND" >&2; exit 1; }
echo "$2" > "$STUB_STATE/runuser-user"
shift 3
exec "$@"`,
  timeout: 'shift; exec "$@"',
  // Only log: the apt/dnf package managers, mounting, ownership, systemd, sleeping.
  'apt-get': '',
  dnf: '',
  mount: '',
  chown: '',
  systemctl: '',
  sleep: '',
};

const FAKE_METASHAPE = `#!/bin/bash
${LOG_ARGV}
cat > "$STUB_STATE/metashape-stdin.$$"
script=''
while [ $# -gt 0 ]; do [ "$1" = -r ] && script=$2; shift; done
[ -n "$script" ] || exit 0
PYTHONPATH="$STUB_DIR/py" exec python3 "$script" < "$STUB_STATE/metashape-stdin.$$"
`;

/** A stand-in for Metashape's Python module: activate() writes a licence into AGISOFT_LICENSING_DIR. */
const FAKE_METASHAPE_PY = `import os


class _App:
    activated = False

    def quit(self):
        pass


app = _App()


class License:
    def activate(self, key):
        if key != os.environ.get("STUB_ACCEPTED_CODE", os.environ["STUB_CODE"]):
            raise RuntimeError("Activation failed: invalid key " + key)
        with open(os.path.join(os.environ["AGISOFT_LICENSING_DIR"], "metashape.lic"), "w") as f:
            f.write("licence for this node\\n")
        app.activated = True
`;

export function createMachine(distro: 'ubuntu' | 'alma'): Machine {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `pgm-boot-${distro}-`));
  const m: Machine = { root: path.join(base, 'root'), stubs: path.join(base, 'stubs'), state: path.join(base, 'state'), log: path.join(base, 'argv.log') };
  for (const d of [m.root, m.stubs, m.state, path.join(m.stubs, 'py'), path.join(m.root, 'etc')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(m.root, 'etc', 'os-release'), OS_RELEASE[distro]);
  fs.writeFileSync(m.log, '');
  for (const [name, body] of Object.entries(STUBS)) fs.writeFileSync(path.join(m.stubs, name), `#!/bin/bash\n${LOG_ARGV}\n${body}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(m.stubs, 'fake-metashape.sh'), FAKE_METASHAPE, { mode: 0o755 });
  fs.writeFileSync(path.join(m.stubs, 'py', 'Metashape.py'), FAKE_METASHAPE_PY);
  fs.writeFileSync(path.join(m.state, 'kernel'), KERNELS[distro]);
  return m;
}

/** Writes every write_files entry of the cloud-config under the machine's root; returns the runcmd. */
export function applyCloudConfig(m: Machine, cloudConfig: string): string[][] {
  const doc = parse(cloudConfig) as { write_files: { path: string; permissions: string; content: string }[]; runcmd: string[][] };
  for (const f of doc.write_files) {
    const file = path.join(m.root, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.content);
    fs.chmodSync(file, parseInt(f.permissions, 8));
  }
  return doc.runcmd;
}

export function env(m: Machine, opts: { code: string; token: string; vaultFailures: number }): NodeJS.ProcessEnv {
  return {
    PATH: `${m.stubs}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin`,
    HOME: m.state,
    LANG: 'C.UTF-8',
    PGM_ROOT: m.root,
    STUB_DIR: m.stubs,
    STUB_STATE: m.state,
    STUB_LOG: m.log,
    STUB_CODE: opts.code,
    STUB_TOKEN: opts.token,
    STUB_VAULT_FAILURES: String(opts.vaultFailures),
    STUB_KERNEL: fs.readFileSync(path.join(m.state, 'kernel'), 'utf8'),
  };
}

/** Runs an absolute machine path (as written by cloud-init) under bash, with the machine's root as prefix. */
export function runOnMachine(m: Machine, e: NodeJS.ProcessEnv, argv: readonly string[]): RunResult {
  const [shell, file, ...rest] = argv;
  const r = spawnSync(shell, [path.join(m.root, file), ...rest], { env: e, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** The ExecStart of a unit written under the machine's root (what systemd would run). */
export function execStartOf(m: Machine, unitPath: string): string {
  const unit = fs.readFileSync(path.join(m.root, unitPath), 'utf8');
  const line = unit.split('\n').find((l) => l.startsWith('ExecStart='));
  if (!line) throw new Error(`${unitPath} has no ExecStart`);
  return line.slice('ExecStart='.length).trim();
}

/** Every logged argv, as [command, ...args]. */
export function calls(m: Machine): string[][] {
  return fs
    .readFileSync(m.log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string[]);
}

export function callsOf(m: Machine, command: string): string[][] {
  return calls(m)
    .filter((c) => c[0] === command)
    .map((c) => c.slice(1));
}

/** The path of a validator on PATH, or undefined. */
export function findTool(name: string): string | undefined {
  try {
    return execFileSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
