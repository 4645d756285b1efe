"""Search: the Whoosh index of listed services, kept true by an outbox, and the search page.

Modules: schema (what is indexed), documents (service -> document), backend_whoosh (the only
Whoosh user), engine (per-segment bitsets), sync (outbox and single writer), query (the contract
other features call), services/forms/routes (the page), cli (reindex).
"""
