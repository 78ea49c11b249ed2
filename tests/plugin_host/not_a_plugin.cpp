// A valid shared library that exports no Kahuna plugin descriptor.
extern "C" int not_a_kahuna_plugin() { return 42; }
