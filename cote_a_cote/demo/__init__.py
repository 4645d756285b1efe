"""The fictional demo: reference data and every feature's demo rows, loaded in order.

Each feature seeds its own tables (``<feature>/seeding.py``); only this package knows them all,
so no feature imports another's seeder.
"""
