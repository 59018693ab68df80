"""The demo content `flask consult demo` loads: real consultations to read and test with."""
