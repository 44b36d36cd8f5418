"""A password check costs what OWASP's argon2id setting costs (m=19 MiB, t=2, p=1), not
argon2-cffi's 64 MiB default, and at most two run at once: ten people pressing "Masuk"
together neither queue behind 64 MiB hashes nor hold 640 MB."""
from __future__ import annotations

import json
import threading
import time

from argon2 import PasswordHasher

import dashboard.users as users
from dashboard.users import add_user, verify


def test_a_new_password_is_hashed_with_owasps_argon2id_parameters(tmp_path, monkeypatch):
    monkeypatch.setenv("KMDASH_USERS", str(tmp_path / "users.json"))
    add_user("budi", "pusdatin", "kata-sandi-budi")
    stored = json.loads((tmp_path / "users.json").read_text(encoding="utf-8"))
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in json.dumps(stored)


def test_a_hash_made_with_the_older_default_still_logs_in(tmp_path, monkeypatch):
    monkeypatch.setenv("KMDASH_USERS", str(tmp_path / "users.json"))
    add_user("sari", "pimpinan", "lama-sekali")
    data = json.loads((tmp_path / "users.json").read_text(encoding="utf-8"))
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash("lama-sekali")
    data["users"][0]["password_hash"] = old
    (tmp_path / "users.json").write_text(json.dumps(data), encoding="utf-8")
    assert verify("sari", "lama-sekali").role == "pimpinan"
    assert verify("sari", "salah") is None


def test_at_most_two_password_checks_run_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("KMDASH_USERS", str(tmp_path / "users.json"))
    add_user("budi", "pusdatin", "kata-sandi-budi")
    running, most, lock = [0], [0], threading.Lock()
    real = users._hasher.verify

    def counted(hash_, password):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        try:
            return real(hash_, password)
        finally:
            with lock:
                running[0] -= 1

    class Counting:
        verify = staticmethod(counted)
        hash = staticmethod(users._hasher.hash)

    monkeypatch.setattr(users, "_hasher", Counting())
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(verify("budi", "kata-sandi-budi"))) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 2 and len(answers) == 10 and all(a.role == "pusdatin" for a in answers)
