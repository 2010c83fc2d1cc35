"""Which account a ticket is about, when it names a customer other than the one who sent it.

"Cancel the subscription of Northwind (C-1002)" sent by C-1001 is not a request to cancel
C-1001's subscription. Tools act on the sender's account (the customer id is injected), so
the gate must know when the ticket is about someone else: then a write is proposed for the
named customer, with a note, and never carried out on the sender's account.

A customer is named by an id of the same form as the sender's ("C-1002"; one that is not in
the CRM leaves the target undetermined) or by the first word of its CRM name, capitalised as
in the CRM ("Northwind"). A false match costs a review, never an action on anyone's account.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from deskroute.models.actions import ActionTarget, NamedCustomer
from deskroute.store import crm

_ID = re.compile(r"(?<![\w-])([A-Za-z]{1,5}-\d{3,})(?![\w-])")
_WORD = re.compile(r"[^\W\d_][^\W_]{3,}")
_MAX_WORDS = 40


def _prefix(customer_id: str) -> str:
    return customer_id.split("-", 1)[0].upper() + "-"


def other_customer(session: Session, *, text: str, sender: str) -> ActionTarget | None:
    """The customer the text names other than `sender`, or None if it names no other."""
    ids = list(
        dict.fromkeys(
            token.upper()
            for token in _ID.findall(text)
            if _prefix(token) == _prefix(sender) and token.upper() != sender
        )
    )
    words = list(dict.fromkeys(w for w in _WORD.findall(text) if w[0].isupper()))[:_MAX_WORDS]
    names = {
        cid: name
        for cid, name in crm.customers_named(session, ids=ids, words=words)
        if cid != sender
    }
    named = [(i, i if i in names else None) for i in ids] + [
        (word, cid)
        for word in words
        for cid, name in names.items()
        if name == word or name.startswith(f"{word} ")
    ]
    if not named:
        return None
    mentions = [NamedCustomer(written=w, customer_id=c, name=names.get(c or "")) for w, c in named]
    customers = {cid for _written, cid in named}
    target = customers.pop() if len(customers) == 1 else None
    requester = crm.find_customer(session, customer_id=sender, email=None)
    who = f"{sender} ({requester.name})" if requester else sender
    if target is not None:
        settle = (
            f"the action is for {target} ({names[target]}), not for the requester's account, and "
            f"the requester {who} is a different customer: confirm they may act for {target} "
            "before approving"
        )
    else:
        settle = (
            f"which account is meant cannot be determined, and the requester is {who}: settle "
            "the account with them before approving"
        )
    return ActionTarget(
        customer_id=target,
        named=mentions,
        requested_by=sender,
        note=f"the ticket names a customer other than its sender "
        f"({'; '.join(str(m) for m in mentions)}); " + settle,
    )
