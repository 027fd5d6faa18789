from argon2 import extract_parameters

from catalog.passwords import hash_password, needs_rehash, verify_password


def test_hashes_are_argon2id_with_at_least_the_owasp_minimum():
    digest = hash_password("a long enough password")
    params = extract_parameters(digest)
    assert digest.startswith("$argon2id$")
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2


def test_verification_accepts_only_the_right_password():
    digest = hash_password("a long enough password")
    assert verify_password(digest, "a long enough password")
    assert not verify_password(digest, "a long enough passwort")
    assert not verify_password(None, "anything")
    assert not verify_password("not a hash", "anything")


def test_weaker_hashes_are_upgraded():
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash("x" * 12)
    assert needs_rehash(weak)
