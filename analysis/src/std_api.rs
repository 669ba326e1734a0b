//! Facts about the standard library API, generated from the rust-docs HTML by tools/gen_std_api.py.
