"""Encryption: a test written against a mutant the rest of the suite let through (values no
longer padded to 32-byte blocks; "low" and "high" happened to give ciphertexts of one length
all the same, because base64 rounds up to 3 bytes)."""

from himaya.core import crypto

KEY = "4Lgcv3zQLSsAGiUkam3ZbysIM3CYYuersIkoU-6yVwE="


def _blob_length(text):
    token = crypto.encrypt(text)
    return len(crypto._b64decode(token.split(":", 2)[2]))


def test_every_text_shorter_than_a_block_encrypts_to_one_length(settings):
    settings.ENCRYPTION_KEYS = [KEY]
    overhead = crypto.NONCE_BYTES + 16  # the nonce and the GCM tag
    lengths = {_blob_length("x" * n) for n in range(crypto.PAD_BLOCK)}
    assert lengths == {overhead + crypto.PAD_BLOCK}
    # A full block (plus the padding marker) needs a second one.
    assert _blob_length("x" * crypto.PAD_BLOCK) == overhead + 2 * crypto.PAD_BLOCK
    assert crypto.decrypt(crypto.encrypt("x" * crypto.PAD_BLOCK)) == "x" * crypto.PAD_BLOCK
