#!/usr/bin/env python3
"""Writes a tiny llama-architecture GGUF v3 model (f32, random weights, ~0.5 MB) for LLamaSharp smoke tests.

usage: make_tiny_gguf.py OUT.gguf [--duplicate-pieces]

The vocabulary is SentencePiece-style: <unk> <s> </s>, the 256 byte tokens (byte fallback), "▁" and the printable
ASCII characters, each piece unique. --duplicate-pieces repeats one piece, which llama.cpp rejects with
GGML_ASSERT(id_to_token.size() == token_to_id.size()) -- an abort of the whole process, not an error.
Standard library only: no real GGUF can be downloaded here, and Debian has no gguf package.
"""
import random
import struct
import sys
from array import array

UINT32, FLOAT32, STRING, ARRAY, INT32 = 4, 6, 8, 9, 5
ALIGNMENT = 32
N_EMBD, N_HEAD, N_FF, N_LAYER, N_CTX = 64, 4, 128, 2, 512
CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
          "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")


def string(value):
    data = value.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def kv(key, kind, value):
    out = string(key) + struct.pack("<I", kind)
    if kind == STRING:
        return out + string(value)
    if kind == UINT32:
        return out + struct.pack("<I", value)
    if kind == FLOAT32:
        return out + struct.pack("<f", value)
    raise ValueError(kind)


def kv_array(key, kind, values):
    out = string(key) + struct.pack("<IIQ", ARRAY, kind, len(values))
    if kind == STRING:
        return out + b"".join(string(v) for v in values)
    return out + array({FLOAT32: "f", INT32: "i"}[kind], values).tobytes()


def vocabulary(duplicate):
    pieces = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)] + ["\u2581"]
    pieces += [chr(c) for c in range(33, 127)]
    types = [2, 3, 3] + [6] * 256 + [1] * (len(pieces) - 259)
    if duplicate:
        pieces[-1] = pieces[-2]
    scores = [0.0] * 3 + [0.0] * 256 + [-float(i) for i in range(len(pieces) - 259)]
    return pieces, scores, types


def main():
    out, duplicate = sys.argv[1], "--duplicate-pieces" in sys.argv[2:]
    pieces, scores, types = vocabulary(duplicate)
    n_vocab = len(pieces)
    rng = random.Random(7)

    tensors = [("token_embd.weight", [N_EMBD, n_vocab]), ("output_norm.weight", [N_EMBD]),
               ("output.weight", [N_EMBD, n_vocab])]
    for i in range(N_LAYER):
        tensors += [(f"blk.{i}.attn_norm.weight", [N_EMBD]), (f"blk.{i}.attn_q.weight", [N_EMBD, N_EMBD]),
                    (f"blk.{i}.attn_k.weight", [N_EMBD, N_EMBD]), (f"blk.{i}.attn_v.weight", [N_EMBD, N_EMBD]),
                    (f"blk.{i}.attn_output.weight", [N_EMBD, N_EMBD]), (f"blk.{i}.ffn_norm.weight", [N_EMBD]),
                    (f"blk.{i}.ffn_gate.weight", [N_EMBD, N_FF]), (f"blk.{i}.ffn_down.weight", [N_FF, N_EMBD]),
                    (f"blk.{i}.ffn_up.weight", [N_EMBD, N_FF])]

    metadata = [
        kv("general.architecture", STRING, "llama"),
        kv("general.name", STRING, "vtuber-tiny-test"),
        kv("general.alignment", UINT32, ALIGNMENT),
        kv("llama.context_length", UINT32, N_CTX),
        kv("llama.embedding_length", UINT32, N_EMBD),
        kv("llama.block_count", UINT32, N_LAYER),
        kv("llama.feed_forward_length", UINT32, N_FF),
        kv("llama.attention.head_count", UINT32, N_HEAD),
        kv("llama.attention.head_count_kv", UINT32, N_HEAD),
        kv("llama.rope.dimension_count", UINT32, N_EMBD // N_HEAD),
        kv("llama.attention.layer_norm_rms_epsilon", FLOAT32, 1e-5),
        kv("tokenizer.ggml.model", STRING, "llama"),
        kv_array("tokenizer.ggml.tokens", STRING, pieces),
        kv_array("tokenizer.ggml.scores", FLOAT32, scores),
        kv_array("tokenizer.ggml.token_type", INT32, types),
        kv("tokenizer.ggml.unknown_token_id", UINT32, 0),
        kv("tokenizer.ggml.bos_token_id", UINT32, 1),
        kv("tokenizer.ggml.eos_token_id", UINT32, 2),
        kv("tokenizer.chat_template", STRING, CHATML),
    ]

    infos, blobs, offset = [], [], 0
    for name, dims in tensors:
        count = 1
        for d in dims:
            count *= d
        values = [1.0] * count if name.endswith("norm.weight") else [rng.gauss(0.0, 0.02) for _ in range(count)]
        blob = array("f", values).tobytes()
        blob += b"\0" * (-len(blob) % ALIGNMENT)
        infos.append(string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
                     + struct.pack("<IQ", 0, offset))
        blobs.append(blob)
        offset += len(blob)

    head = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata)) + b"".join(metadata) + b"".join(infos)
    head += b"\0" * (-len(head) % ALIGNMENT)
    with open(out, "wb") as f:
        f.write(head)
        for blob in blobs:
            f.write(blob)


if __name__ == "__main__":
    main()
