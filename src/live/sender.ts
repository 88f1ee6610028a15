// Which account owns a sender (`why --from`): each candidate account is asked, through its own client,
// whether the phone number or Messaging Service is its own, a few at a time, stopping at the first
// owner. Twilio applies geo permissions per account, so that owner's permissions decide the answer.
import { mapWithConcurrency } from './concurrency.js';
import type { DesiredAccount } from '../model/desired.js';
import { messageOf } from '../model/errors.js';
import type { OwnedSender, SenderRef, TwilioGateway } from '../model/twilio-port.js';

type Candidate = Pick<DesiredAccount, 'name' | 'sid' | 'parentSid'>;

export interface SenderSearch<C extends Candidate = Candidate> {
  /** The owning account (Twilio's `account_sid` of the sender) and the sender as Twilio describes it. */
  owner: { account: C; sender: OwnedSender } | null;
  /** The accounts asked, in the order given; the ones after the owner was found are not asked. */
  asked: string[];
  /** Accounts whose lookup failed (any of them may be the owner); never dropped. */
  errors: Array<{ account: string; sid: string; message: string }>;
}

/**
 * Asks `accounts` in order, at most `concurrency` at once; one request each for a non-owner. Once an
 * owner answers no further account is asked (lookups already under way finish and are counted).
 * The owner is the account Twilio names in the answer, which is the one asked unless credentials
 * given for an account act as another (then the answer is attributed to the account it names).
 */
export async function findSenderOwner<C extends Candidate>(
  gateway: TwilioGateway,
  accounts: readonly C[],
  sender: SenderRef,
  options: { concurrency: number },
): Promise<SenderSearch<C>> {
  // An object, not a `let`: the lanes set it, and TypeScript does not follow assignments in callbacks.
  const answer: { hit: { asked: Candidate; sender: OwnedSender } | null } = { hit: null };
  const errors: SenderSearch['errors'] = [];
  const asked = await mapWithConcurrency(accounts, options.concurrency, async (account) => {
    if (answer.hit) return false;
    try {
      const client = await gateway.forAccount({ sid: account.sid, parentSid: account.parentSid });
      if (!client.findSender) throw new Error('this Twilio client cannot look up senders');
      const owned = await client.findSender(sender);
      // Lookups already under way when the owner answered finish; there is one owner, so none else wins.
      if (owned && !answer.hit) answer.hit = { asked: account, sender: owned };
    } catch (err) {
      errors.push({ account: account.name, sid: account.sid, message: messageOf(err) });
    }
    return true;
  });
  const search: SenderSearch<C> = {
    owner: null,
    asked: accounts.filter((_, i) => asked[i]).map((a) => a.name),
    errors,
  };
  const hit = answer.hit;
  if (!hit) return search;
  const owner = accounts.find((a) => a.sid === hit.sender.accountSid);
  if (owner) search.owner = { account: owner, sender: hit.sender };
  else
    errors.push({
      account: hit.asked.name,
      sid: hit.asked.sid,
      message: `Twilio answered with ${hit.sender.sid} of ${hit.sender.accountSid}, which is not this account: the credentials used for it act as another account`,
    });
  return search;
}
