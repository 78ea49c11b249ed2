// kahuna-storage-conformance: the storage conformance suite as a program.
#include <kahuna/testkit/storage_conformance.h>

int main(int argc, char** argv) { return kahuna::testkit::storage_conformance_main(argc, argv); }
