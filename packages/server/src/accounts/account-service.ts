// Managing accounts, for the admin API and the operator CLI alike: both go
// through the pool, so what they show is what routing sees, and every change
// is an admin action on record.
import type { Account, AccountDefinition } from '@clawdforge/shared';
import { recordAdminAction, type Actor } from '../admin/admin-actions.repository.js';
import type { Clock } from '../clock.js';
import { SERVICE_VARIABLES } from '../config.js';
import type { Db } from '../db/database.js';
import { ApiError } from '../errors.js';
import { definitionProblem } from './account-environment.js';
import type { AccountPool } from './account-pool.js';
import type { AccountsRepository } from './accounts.repository.js';

export interface AccountAdmin {
  db: Db;
  clock: Clock;
  pool: AccountPool;
  repository: AccountsRepository;
}

const notFound = (name: string) => new ApiError('not_found', `There is no Claude account named ${JSON.stringify(name)}.`);

/** A view of the account; 404 when there is none. */
export function accountView(admin: AccountAdmin, name: string): Account {
  const view = admin.pool.view(name);
  if (!view) throw notFound(name);
  return view;
}

export async function setAccountEnabled(admin: AccountAdmin, name: string, enabled: boolean, by: Actor): Promise<Account> {
  const before = accountView(admin, name);
  if (!admin.pool.setEnabled(name, enabled)) throw notFound(name);
  const after = accountView(admin, name);
  await recordAdminAction(admin.db, { at: admin.clock.now().toISOString(), by, action: enabled ? 'account.enable' : 'account.disable', target: name, before: stateOf(before), after: stateOf(after) });
  return after;
}

/** `clawdforge accounts add`: 409 conflict when the name is taken (a declared account is changed in CLAUDE_ACCOUNTS_FILE). */
export async function addAccount(admin: AccountAdmin, definition: AccountDefinition, by: Actor): Promise<Account> {
  const problem = definitionProblem(definition, admin.repository.list(), SERVICE_VARIABLES);
  if (problem) throw new ApiError('invalid_request', `${problem}.`);
  if (!admin.repository.add(definition, 'cli', admin.clock.now().toISOString())) {
    throw new ApiError('conflict', `A Claude account named ${JSON.stringify(definition.name)} exists already.`);
  }
  const after = accountView(admin, definition.name);
  await recordAdminAction(admin.db, { at: admin.clock.now().toISOString(), by, action: 'account.add', target: definition.name, before: null, after: definitionOf(definition) });
  return after;
}

/** Only an account the operator CLI added: a declared one goes by taking it out of CLAUDE_ACCOUNTS_FILE. */
export async function removeAccount(admin: AccountAdmin, name: string, by: Actor): Promise<{ ok: true; removed: string }> {
  const before = accountView(admin, name);
  if (before.source === 'config') throw new ApiError('conflict', `The account ${JSON.stringify(name)} is declared in CLAUDE_ACCOUNTS_FILE: remove it there and restart.`);
  if (!admin.repository.remove(name)) throw notFound(name);
  await recordAdminAction(admin.db, { at: admin.clock.now().toISOString(), by, action: 'account.remove', target: name, before: stateOf(before), after: null });
  return { ok: true, removed: name };
}

const stateOf = (account: Account) => ({ state: account.state, cooling_until: account.cooling_until });
const definitionOf = (definition: AccountDefinition) => ({ ...definition }); // references only: never a secret's value
