/**
 * npm run users -- list | create <email> [--admin] [--password P] | password <email> [--password P] | delete <email>
 *
 * The password is asked for (without echo) unless --password is given. With
 * CLICKHOUSE_URL set, or when no embedded server is running, the CLI opens
 * the database itself; otherwise it asks the running server through its
 * loopback admin route (/api/auth/users), since that server owns DATA_DIR.
 */
import readline from 'node:readline';
import { openDb } from '../db/client';
import { migrate } from '../db/migrate';
import { createUser, deleteUser, findUserByEmail, listUsers, setPassword, userInfo } from '../db/users';
import { hashPassword, passwordProblem } from '../lib/auth/password';
import { loadConfig } from '../lib/config';
import { callServer, runningServer, type RunningServer } from '../lib/admin';

const config = loadConfig();
const [command = 'list', email, ...rest] = process.argv.slice(2);
const flag = (name: string) => rest.includes(`--${name}`);
const option = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};

function usage(): never {
  console.error('usage: npm run users -- list | create <email> [--admin] [--password P] | password <email> [--password P] | delete <email>');
  process.exit(2);
}

/** Reads a line from the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    let muted = false;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (!muted) write.call(rl, s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function askPassword(): Promise<string> {
  const given = option('password');
  if (given !== undefined) return given;
  if (!process.stdin.isTTY) throw new Error('no terminal to ask for a password: pass --password');
  const first = await prompt('Password: ');
  const second = await prompt('Repeat password: ');
  if (first !== second) throw new Error('the passwords differ');
  return first;
}

function viaServer(server: RunningServer, password: string | undefined): Promise<unknown> {
  if (command === 'list') return callServer(server, '/api/auth/users');
  return callServer(server, '/api/auth/users', { action: command, email, password, admin: flag('admin') });
}

async function direct(password: string | undefined): Promise<unknown> {
  const db = await openDb(config);
  try {
    await migrate(db);
    if (command === 'list') return (await listUsers(db)).map(userInfo);
    if (command === 'create') {
      return userInfo(await createUser(db, { email: email!, passwordHash: await hashPassword(password!), role: flag('admin') ? 'admin' : 'member' }));
    }
    const user = await findUserByEmail(db, email!);
    if (!user) throw new Error(`no account for ${email}`);
    if (command === 'password') await setPassword(db, user, await hashPassword(password!));
    else await deleteUser(db, user);
    return userInfo(user);
  } finally {
    await db.close();
  }
}

if (!['list', 'create', 'password', 'delete'].includes(command) || (command !== 'list' && !email)) usage();
try {
  let password: string | undefined;
  if (command === 'create' || command === 'password') {
    password = await askPassword();
    const weak = passwordProblem(password);
    if (weak) throw new Error(weak);
  }
  const admin = runningServer(config);
  const result = admin ? await viaServer(admin, password) : await direct(password);
  console.log(JSON.stringify(result, null, 2));
} catch (err) {
  console.error(`users ${command} failed: ${(err as Error).message}`);
  process.exit(1);
}
