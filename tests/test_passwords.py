"""Production hashes passwords with Argon2id at a slow, memory-hard cost."""

from argon2 import Type

from cote_a_cote.accounts import passwords


def test_production_hasher_is_argon2id_with_rfc9106_low_memory_cost():
    # conftest swaps in a cheap hasher for speed; the module's own default is what ships.
    shipped = passwords.PRODUCTION_PARAMETERS
    assert shipped.type is Type.ID
    assert shipped.memory_cost >= 64 * 1024  # KiB
    assert shipped.time_cost >= 3


def test_hash_and_verify_round_trip():
    stored = passwords.hash_password("a long enough passphrase")
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password(stored, "a long enough passphrase")
    assert not passwords.verify_password(stored, "another passphrase")
    assert not passwords.verify_password(None, "a long enough passphrase")
