from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with test-sized costs; hashes stay verifiable by the real one."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
