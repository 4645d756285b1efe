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


def test_an_unknown_account_costs_a_real_verification(monkeypatch):
    checked = []

    class CountingHasher:
        def verify(self, stored, password):
            checked.append(stored)
            return real.verify(stored, password)

    real = passwords._hasher
    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    assert not passwords.verify_password(None, "whatever was typed")
    assert not passwords.verify_password(None, "something else")
    # Both against the same Argon2id hash (made once, on first need), as a known account would be.
    assert len(checked) == 2 and checked[0] == checked[1]
    assert checked[0].startswith("$argon2id$")


def test_importing_the_application_hashes_nothing():
    import subprocess
    import sys

    # A fresh interpreter: building the app must not spend Argon2's 64 MiB in every worker.
    code = (
        "from cote_a_cote import create_app; from cote_a_cote.accounts import passwords; "
        "create_app(); print(passwords._dummy_hash.cache_info().currsize)"
    )
    made = subprocess.check_output([sys.executable, "-c", code], text=True)  # noqa: S603
    assert made.strip() == "0"
