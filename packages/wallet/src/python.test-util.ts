// Finds a Python 3 with PyNaCl (Debian's `python3` + `python3-nacl`) for the interop tests.
import { execFileSync, spawn } from 'node:child_process';

function hasNacl(python: string): boolean {
  try {
    execFileSync(python, ['-c', 'import nacl.pwhash, nacl.secret'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `/usr/bin/python3` first (Debian's, where `python3-nacl` installs), then `python3` on PATH. */
export const PYTHON: string | undefined = ['/usr/bin/python3', 'python3'].find(hasNacl);

export const PYTHON_MISSING_NOTE =
  'SKIPPED: Python interop tests need python3 with PyNaCl (Debian: apt-get install -y python3 python3-nacl)';

/** Runs a Python script with `args`, feeding `stdin`; resolves to stdout (rejects on exit ≠ 0). */
export function runPython(script: string, args: string[] = [], stdin = ''): Promise<string> {
  if (!PYTHON) throw new Error(PYTHON_MISSING_NOTE);
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`python exited with ${code}: ${err}`));
    });
    child.stdin.end(stdin);
  });
}
