/**
 * Boot rehearsal of a Linux processing node: the cloud-config exactly as the construct renders it is written out
 * under a scratch root (PGM_ROOT) and its runcmd runs under bash with stub commands. The stubs log every argv (one
 * JSON array a line) and answer like the machine would: the instance metadata service hands out a token, Key Vault
 * answers 403 for the first N reads (the role assignment is still propagating), then the secret. `sleep` returns at
 * once (it is logged), `systemctl` only logs. Metashape is a stub unpacked by the `tar` stub; it runs the rendered
 * activation script (metashape.sh -r) with the real python3 against a fake `Metashape` module.
 *
 * The stubs are bash functions exported into the scripts' environment (as `export -f` does: BASH_FUNC_<name>%%),
 * so every bash the rehearsal starts (the setup script, the activation helper, the fake Metashape) calls them
 * without a process of their own (on this kind of machine each process costs ~10 ms of CPU, each python3 ~60 ms).
 * Each body runs with the shell options a fresh `bash` would have (`local -`), local variables, and `return` where
 * the command exited, so it answers as a separate command did. The same stubs are also files first on PATH (each
 * calls its function), for anything that would exec them. The argv log is written by bash itself (JSON escaping of
 * printable ASCII, byte for byte what json.dumps writes; anything else still goes through python3's json.dumps).
 *
 * Runs are asynchronous (child processes), so independent scenarios can run at the same time.
 */
import { spawn } from 'child_process';
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

/**
 * `_stub_log NAME ARGS...` appends ["NAME", "ARG", ...] to $STUB_LOG, as `json.dumps(sys.argv[1:])` would (same
 * separators; arguments other than printable ASCII are handed to python3, which escapes them as before).
 */
const STUB_LOG_FN = `
local LC_ALL=C a line='' sep=''
for a in "$@"; do
  case $a in *[!\\ -~]*) python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@" >> "$STUB_LOG"; return ;; esac
  a=\${a//\\\\/\\\\\\\\}
  a=\${a//\\"/\\\\\\"}
  line+="$sep\\"$a\\""
  sep=', '
done
printf '[%s]\\n' "$line" >> "$STUB_LOG"`;

/**
 * name → body (run after the argv is logged, with `local -` and a fresh shell's options: what a separate stub
 * command did, without a process). Variables are local, `return` ends a stub as `exit` ended the command, and a
 * command to run is run as the stub's last one (a function cannot be exec'd).
 */
const STUBS: Record<string, string> = {
  curl: `
local out='' config='' url='' n=0
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift ;;
    -K) if [ "$2" = - ]; then IFS= read -r -d '' config; config=\${config%"\${config##*[!$'\\n']}"}; fi; shift ;;
    -H|--max-time|--retry|--retry-delay) shift ;;
    -*) ;;
    *) url=$1 ;;
  esac
  shift
done
case "$url" in
  http://169.254.169.254/metadata/identity/oauth2/token*) printf '{"access_token": "%s", "token_type": "Bearer"}' "$STUB_TOKEN" ;;
  */secrets/*)
    [ -e "$STUB_STATE/vault-reads" ] && read -r n < "$STUB_STATE/vault-reads"
    n=$((n + 1)); echo "$n" > "$STUB_STATE/vault-reads"
    printf '%s' "$config" > "$STUB_STATE/curl-config.$n"
    case "$config" in *"Bearer $STUB_TOKEN"*) ;; *) echo 'curl: (22) The requested URL returned error: 401' >&2; return 22 ;; esac
    if [ "$n" -le "$STUB_VAULT_FAILURES" ]; then echo 'curl: (22) The requested URL returned error: 403' >&2; return 22; fi
    printf '{"value": "%s", "id": "%s"}' "$STUB_CODE" "$url" ;;
  http://169.254.169.254/metadata/instance/compute*) printf '{"subscriptionId": "%s", "location": "westeurope"}' "\${STUB_SUBSCRIPTION:-00000000-0000-0000-0000-000000000000}" ;;
  https://packages.microsoft.com/keys/microsoft.asc | https://www.beegfs.io/release/*/gpg/GPG-KEY-beegfs) echo 'FAKE KEY' ;;
  https://*) [ -n "$out" ] && echo 'fake tarball' > "$out" ;;
  *) echo "curl stub: unexpected URL $url" >&2; return 6 ;;
esac`,
  tar: `
local dir=''
while [ $# -gt 0 ]; do [ "$1" = -C ] && dir=$2; shift; done
cp "$STUB_DIR/fake-metashape.sh" "$dir/metashape.sh"; chmod 755 "$dir/metashape.sh"`,
  gpg: `
while [ $# -gt 0 ]; do [ "$1" = -o ] && cat > "$2"; shift; done`,
  getent: `[ -e "$STUB_STATE/group-$2" ] && echo "$2:x:7007:"`,
  groupadd: `
local name=\${*: -1}
if [ -e "$STUB_STATE/group-$name" ]; then echo "groupadd: group '$name' already exists" >&2; return 9; fi
: >> "$STUB_STATE/group-$name"`,
  useradd: `
local name=\${*: -1}
if [ -e "$STUB_STATE/user-$name" ]; then echo "useradd: user '$name' already exists" >&2; return 9; fi
: >> "$STUB_STATE/user-$name"`,
  id: `[ -e "$STUB_STATE/user-\${*: -1}" ] && echo 7007`,
  uname: `[ "$1" = -m ] && echo x86_64 || echo "$STUB_KERNEL"`,
  hostname: 'echo pgmnode000001',
  'nvidia-smi': '[ "${1:-}" = -L ] && echo "GPU 0: NVIDIA A100 80GB PCIe (UUID: GPU-0)"; return 0',
  runuser: `
[ "$1" = -u ] && [ "$3" = -- ] || { echo "runuser stub: expected -u USER -- COMMAND" >&2; return 1; }
echo "$2" > "$STUB_STATE/runuser-user"
shift 3
"$@"`,
  timeout: 'shift; "$@"',
  // Only log: the apt/dnf package managers, mounting, ownership, systemd, sleeping.
  'apt-get': '',
  dnf: '',
  mount: '',
  chown: '',
  systemctl: '',
  // The CycleCloud CLI: logs only; no cloud account exists yet.
  cyclecloud: 'if [ "$1 $2" = "account show" ]; then return 1; fi',
  sleep: '',
};

/** The stubs as exported bash functions: the environment entries `export -f` makes. */
const STUB_FUNCTIONS: Record<string, string> = {
  'BASH_FUNC__stub_log%%': `() {${STUB_LOG_FN}\n}`,
  ...Object.fromEntries(
    Object.entries(STUBS).map(([name, body]) => [`BASH_FUNC_${name}%%`, `() {\nlocal -\nset +euo pipefail\n_stub_log ${shQuote(name)} "$@"\n${body}\n}`]),
  ),
};

/**
 * For a scenario that only needs the retry loop of the activation helper (not the parsing it does with python3
 * between the retries): python3 as a function that answers the helper's own json_field program (STUB_JSON_FIELD)
 * where its result is certain — on no input it fails as json.load does, on a flat object of plain strings (what the
 * stubs answer) it prints the field — and runs the real python3 for every other call and every other input.
 */
const JSON_FIELD_FUNCTION = `() {
if [ "$#" -ne 3 ] || [ "$1" != -c ] || [ -z "\${STUB_JSON_FIELD:-}" ] || [ "$2" != "$STUB_JSON_FIELD" ]; then command python3 "$@"; return; fi
local - input rest value found=0 re='^[{,] ?"([A-Za-z_]+)": "([^"\\\\[:cntrl:]]*)"(.*)$'
set +euo pipefail
IFS= read -r -d '' input
if [ -z "$input" ]; then
  echo 'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)' >&2
  return 1
fi
rest=$input
while [[ $rest =~ $re ]]; do
  if [ "\${BASH_REMATCH[1]}" = "$3" ]; then value=\${BASH_REMATCH[2]}; found=1; fi
  rest=\${BASH_REMATCH[3]}
done
if [ "$found" = 1 ] && [ "$rest" = '}' ]; then printf '%s\\n' "$value"; return 0; fi
printf '%s' "$input" | command python3 "$@"
}`;

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The installed metashape.sh: runs the script given with -r (the rendered metashape-activate.py) with python3 and
 * the fake Metashape module below — or, with STUB_METASHAPE_SHELL=1, does in the shell what those two do together.
 */
const FAKE_METASHAPE = `#!/bin/bash
_stub_log metashape.sh "$@"
cat > "$STUB_STATE/metashape-stdin.$$"
script=''
while [ $# -gt 0 ]; do [ "$1" = -r ] && script=$2; shift; done
[ -n "$script" ] || exit 0
if [ "\${STUB_METASHAPE_SHELL:-}" != 1 ]; then
  PYTHONPATH="$STUB_DIR/py" exec python3 "$script" < "$STUB_STATE/metashape-stdin.$$"
fi
IFS= read -r -d '' code < "$STUB_STATE/metashape-stdin.$$"
code=\${code#"\${code%%[![:space:]]*}"}
code=\${code%"\${code##*[![:space:]]}"}
if [ -z "$code" ]; then
  echo 'metashape-activation: failed: no activation code on standard input'
elif [ "$code" != "\${STUB_ACCEPTED_CODE-$STUB_CODE}" ]; then
  echo 'metashape-activation: failed: RuntimeError: Activation failed: invalid key <redacted>'
else
  echo 'licence for this node' > "$AGISOFT_LICENSING_DIR/metashape.lic"
  echo 'metashape-activation: ok'
fi
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
  for (const name of Object.keys(STUBS)) fs.writeFileSync(path.join(m.stubs, name), `#!/bin/bash\n${shQuote(name)} "$@"\n`, { mode: 0o755 });
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

/** Stand-ins for the activation's python3 steps, for scenarios that repeat what another one runs with python3. */
export interface PythonStandIns {
  /** The helper's json_field program: answered by the python3 function above (JSON_FIELD_FUNCTION). */
  readonly jsonField?: string;
  /** The fake Metashape activates in the shell instead of running metashape-activate.py with python3. */
  readonly metashape?: boolean;
}

/** The environment of a machine's runs (every python3 call real unless `standIns` says otherwise). */
export function env(m: Machine, opts: { code: string; token: string; vaultFailures: number; standIns?: PythonStandIns }): NodeJS.ProcessEnv {
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
    ...STUB_FUNCTIONS,
    ...(opts.standIns?.metashape ? { STUB_METASHAPE_SHELL: '1' } : {}),
    ...(opts.standIns?.jsonField ? { STUB_JSON_FIELD: opts.standIns.jsonField, 'BASH_FUNC_python3%%': JSON_FIELD_FUNCTION } : {}),
  };
}

/** The program the rendered activation helper's json_field runs with `python3 -c` (undefined if it has none). */
export function jsonFieldProgram(activationScript: string): string | undefined {
  return /^json_field\(\) \{\n\s*python3 -c '([^']*)' "\$1"\n\}$/m.exec(activationScript)?.[1];
}

/**
 * Makes `copy` the machine `m` is now: every file of it, with `m`'s own paths in the argv log made `copy`'s (the
 * log is the only file that may name them; anything else that did would make the copy differ, so it throws).
 * A copy taken after a run is the machine that run leaves, for a scenario that continues from there.
 */
export function copyMachine(m: Machine, copy: Machine): void {
  const from = path.dirname(m.root);
  const to = path.dirname(copy.root);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, preserveTimestamps: true });
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  for (const file of walk(to)) {
    const text = fs.readFileSync(file, 'latin1');
    if (!text.includes(`${from}/`)) continue;
    if (file !== copy.log) throw new Error(`copyMachine: ${path.relative(to, file)} names the machine's own path`);
    fs.writeFileSync(file, text.split(`${from}/`).join(`${to}/`), 'latin1');
  }
}

/** Runs a command to completion (stdin empty); output is its standard output, then its standard error. */
export function run(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, timeout: options.timeout ?? 60000 });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output: `${Buffer.concat(stdout).toString('utf8')}${Buffer.concat(stderr).toString('utf8')}` }));
    child.stdin.end();
  });
}

/** Runs an absolute machine path (as written by cloud-init) under bash, with the machine's root as prefix. */
export function runOnMachine(m: Machine, e: NodeJS.ProcessEnv, argv: readonly string[]): Promise<RunResult> {
  const [shell, file, ...rest] = argv;
  return run(shell, [path.join(m.root, file), ...rest], { env: e });
}

/** Starts work now, to be awaited later (a failure is reported where it is awaited, not as an unhandled rejection). */
export function started<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
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

/** The path of a validator on PATH (an executable file, as `command -v` finds it), or undefined. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const file = path.join(dir || '.', name);
    try {
      if (fs.statSync(file).isFile()) {
        fs.accessSync(file, fs.constants.X_OK);
        return path.resolve(file);
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * `cloud-init schema --config-file FILE` for every file, in one process: cloud-init's own command-line entry
 * (cloudinit.cmd.main) run once per file inside the interpreter of the `cloud-init` script, each with its standard
 * output, standard error and exit status captured as the command would have them. Falls back to one command a file
 * (in parallel) when the script is not a Python entry point of an importable cloudinit.
 */
export async function cloudInitSchema(bin: string, files: readonly string[]): Promise<RunResult[]> {
  const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(fs.readFileSync(bin, 'utf8').split('\n', 1)[0]);
  const interpreter = shebang ? (shebang[1].endsWith('/env') && shebang[2] ? shebang[2] : shebang[1]) : undefined;
  if (interpreter && /python/.test(path.basename(interpreter))) {
    const r = await run(interpreter, ['-c', CLOUD_INIT_SCHEMA_PY, ...files]);
    if (r.status === 0) {
      try {
        const results = JSON.parse(r.output) as { status: number; stdout: string; stderr: string }[];
        if (results.length === files.length) return results.map((x) => ({ status: x.status, output: `${x.stdout}${x.stderr}` }));
      } catch {
        // not the runner's answer: the commands below give the authoritative one
      }
    }
  }
  return Promise.all(files.map((f) => run(bin, ['schema', '--config-file', f])));
}

const CLOUD_INIT_SCHEMA_PY = `
import contextlib, io, json, sys
files = sys.argv[1:]
sys.argv = ["cloud-init"]
from cloudinit.cmd.main import main
def exit_status(code):  # as sys.exit(code) ends the process
    return 0 if code is None else code if isinstance(code, int) else 1
results = []
for f in files:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = exit_status(main(["cloud-init", "schema", "--config-file", f]))
        except SystemExit as e:
            status = exit_status(e.code)
            if not isinstance(e.code, int) and e.code is not None:
                print(e.code, file=sys.stderr)
    results.append({"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()})
sys.stdout.write(json.dumps(results))
`;
