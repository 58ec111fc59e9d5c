import type { Principal } from '../../domain/shared/roles.js';
import { assertCustomerVisible } from '../access.js';
import type { AppContext } from '../app-context.js';
import { loadCustomerView, type CustomerView } from './customer-view.js';

/** One customer; a customer principal may read only its own. */
export async function getCustomer(ctx: AppContext, principal: Principal, id: string): Promise<CustomerView> {
  assertCustomerVisible(principal, id);
  return loadCustomerView(ctx.db, id, ctx.clock.now());
}
