// One function per test file, called by the runner. Test files register
// their tests from static initializers; calling into each file makes the
// linker keep it when the suite is linked from a static library.
#pragma once

namespace kahuna::testkit::anchors {

void batch_tests();
void bounds_tests();
void concurrency_tests();
void crash_tests();
void delete_range_tests();
void iteration_tests();
void model_tests();
void ordering_tests();
void persistence_tests();
void scale_tests();
void snapshot_tests();
void value_tests();

}  // namespace kahuna::testkit::anchors
