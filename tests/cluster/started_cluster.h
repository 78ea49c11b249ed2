// Where most cluster tests begin: the first members of a local cluster (every
// node unless options.first_members says fewer) started, every partition
// led, and a client to drive them.
#pragma once

#include "cluster_test_util.h"

namespace kahuna::testing {

struct StartedCluster {
  explicit StartedCluster(const ClusterOptions& options = ClusterOptions{3, 4})
      : cluster(test_dir(), options) {
    const int first = options.first_members > 0 ? options.first_members : options.nodes;
    for (int id = 1; id <= first; ++id) cluster.start(id);
    client.wait_for_leaders();
  }

  LocalCluster cluster;
  ClusterClient client{cluster};
};

}  // namespace kahuna::testing
