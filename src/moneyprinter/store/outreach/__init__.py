"""Outreach tables (migration m006), one module per aggregate: campaigns, businesses, contacts
(found emails), sends (the ledger) and suppression. The rules (dedup keys, what blocks a send,
templates) live in ``moneyprinter/outreach``; these modules only read and write rows."""
