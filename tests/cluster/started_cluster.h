// Where most cluster tests begin: every node of a local cluster started, every
// partition led, and a client to drive them.
#pragma once

#include "cluster_test_util.h"

namespace kahuna::testing {

struct StartedCluster {
  explicit StartedCluster(const ClusterOptions& options = ClusterOptions{3, 4})
      : cluster(test_dir(), options) {
    cluster.start_all();
    client.wait_for_leaders();
  }

  LocalCluster cluster;
  ClusterClient client{cluster};
};

}  // namespace kahuna::testing
