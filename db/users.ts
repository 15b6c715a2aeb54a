/**
 * The `users` table: accounts (email, scrypt password hash, role). Password
 * hashing itself lives in lib/auth/password.ts; this module only stores rows.
 */
import crypto from 'node:crypto';
import { toClickHouseTime, type Db } from './client';

export type Role = 'admin' | 'member';

export interface User {
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  created_at: string;
}

/** The public view of a user (never the hash). */
export type UserInfo = Omit<User, 'password_hash'>;

export const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email)) throw new Error(`not an email address: ${JSON.stringify(input)}`);
  return email;
}

// Aliases differ from column names on purpose: in chdb an alias equal to a
// column name shadows the column in WHERE/HAVING.
const SELECT_USERS = `
  SELECT email, argMax(id, updated_at) AS uid, argMax(password_hash, updated_at) AS hash,
         argMax(role, updated_at) AS urole, min(created_at) AS created
  FROM users GROUP BY email HAVING argMax(deleted, updated_at) = false`;

interface Row {
  email: string;
  uid: string;
  hash: string;
  urole: string;
  created: string;
}

const toUser = (r: Row): User => ({
  id: r.uid,
  email: r.email,
  password_hash: r.hash,
  role: r.urole === 'admin' ? 'admin' : 'member',
  created_at: r.created,
});

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.query<Row>(`${SELECT_USERS} ORDER BY created`)).map(toUser);
}

export async function countUsers(db: Db): Promise<number> {
  const rows = await db.query<{ n: string }>(`SELECT count() AS n FROM (${SELECT_USERS})`);
  return Number(rows[0]?.n ?? 0);
}

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const rows = await db.query<Row>(`${SELECT_USERS} AND email = {email:String}`, { email: email.trim().toLowerCase() });
  return rows[0] ? toUser(rows[0]) : null;
}

export async function findUserById(db: Db, id: string): Promise<User | null> {
  const rows = await db.query<Row>(`${SELECT_USERS} AND uid = {id:String}`, { id });
  return rows[0] ? toUser(rows[0]) : null;
}

/** Creates an account; fails when the email is taken. `passwordHash` comes from lib/auth/password.ts. */
export async function createUser(db: Db, input: { email: string; passwordHash: string; role?: Role }): Promise<User> {
  const email = normalizeEmail(input.email);
  if (await findUserByEmail(db, email)) throw new UserExistsError(email);
  const now = toClickHouseTime(Date.now());
  const user: User = { id: crypto.randomUUID(), email, password_hash: input.passwordHash, role: input.role ?? 'member', created_at: now };
  await db.insert('users', [{ ...user, updated_at: now, deleted: false }]);
  return user;
}

export async function setPassword(db: Db, user: User, passwordHash: string): Promise<void> {
  await db.insert('users', [{ ...user, password_hash: passwordHash, updated_at: toClickHouseTime(Date.now()), deleted: false }]);
}

export async function deleteUser(db: Db, user: User): Promise<void> {
  await db.insert('users', [{ ...user, updated_at: toClickHouseTime(Date.now()), deleted: true }]);
}

export function userInfo(user: User): UserInfo {
  const { password_hash: _, ...info } = user;
  return info;
}

export class UserExistsError extends Error {
  constructor(email: string) {
    super(`an account for ${email} already exists`);
  }
}
