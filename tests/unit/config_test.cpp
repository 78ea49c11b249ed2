// A table of bad configuration files, each with the error it must produce:
// the file, the key and the reason.
#include "config/config_loader.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "scratch_directory.h"

namespace kahuna {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ScratchDirectoryTest {
 protected:
  ConfigTest() : ScratchDirectoryTest("kahuna-config-test") {}

  void SetUp() override {
    fs::create_directories(dir_ / "plugins");
    // The loader only checks that the files exist; loading them is the
    // plugin host's business (tested on its own).
    for (const char* name :
         {"kahuna-storage-rocksdb.so", "kahuna-storage-lmdb.so", "kahuna-protocol-binary.so"}) {
      std::ofstream(dir_ / "plugins" / name) << "";
    }
  }

  std::string data_dir() const { return (dir_ / "data").string(); }

  std::string valid_text() const {
    return "[node]\nid = 1\ndata_dir = \"" + data_dir() + "\"\n[storage]\nplugin = \"rocksdb\"\n";
  }

  Status load(const std::string& text, Config& config) {
    const fs::path file = dir_ / "node.toml";
    std::ofstream(file) << text;
    return load_config(file, dir_ / "plugins", config);
  }

  fs::path file() const { return dir_ / "node.toml"; }
};

TEST_F(ConfigTest, AMinimalFileGetsTheDefaults) {
  Config config;
  ASSERT_TRUE(load(valid_text(), config)) << load(valid_text(), config).message();
  EXPECT_EQ(config.node.id, 1u);
  EXPECT_EQ(config.cluster.partitions, 16u);
  EXPECT_TRUE(config.cluster.peers.empty());
  EXPECT_EQ(config.storage.plugin, "rocksdb");
  EXPECT_EQ(config.storage.plugin_file, dir_ / "plugins" / "kahuna-storage-rocksdb.so");
  EXPECT_EQ(config.log_level, spdlog::level::info);
  EXPECT_GE(config.io_threads, 1u);
  EXPECT_EQ(config.raft.quiesce_ticks, 20u) << "idle groups go quiet by default";
  EXPECT_TRUE(fs::is_directory(data_dir())) << "the data directory is created";
}

TEST_F(ConfigTest, AFullFileIsReadCompletely) {
  const std::string text = "[node]\nid = 2\ndata_dir = \"" + data_dir() +
                           "\"\n"
                           "[log]\nlevel = \"debug\"\n"
                           "[server]\nio_threads = 3\n"
                           "[plugins]\ndir = \"" +
                           (dir_ / "plugins").string() +
                           "\"\n"
                           "[cluster]\npartitions = 32\n"
                           "peers = [ { id = 1, address = \"127.0.0.1:7001\" },\n"
                           "          { id = 2, address = \"[::1]:7002\" },\n"
                           "          { id = 3, address = \"node3.local:7003\" } ]\n"
                           "[storage]\nplugin = \"lmdb\"\n"
                           "[storage.lmdb]\nmap_size_mb = 64\n"
                           "[storage.rocksdb]\nblock_cache_mb = 8\n";
  Config config;
  const Status status = load(text, config);
  ASSERT_TRUE(status) << status.message();
  EXPECT_EQ(config.node.id, 2u);
  EXPECT_EQ(config.log_level, spdlog::level::debug);
  EXPECT_EQ(config.io_threads, 3u);
  EXPECT_EQ(config.cluster.partitions, 32u);
  ASSERT_EQ(config.cluster.peers.size(), 3u);
  EXPECT_EQ(config.cluster.peers[1].address, (HostPort{"::1", 7002}));
  EXPECT_EQ(config.storage.plugin, "lmdb");
  // Only the chosen engine's table is handed to the plugin.
  EXPECT_EQ(config.storage.options["map_size_mb"].value<int>(), 64);
  EXPECT_FALSE(config.storage.options.contains("block_cache_mb"));
}

struct BadFile {
  const char* name;
  std::string text;      // the whole file, or what is added to a valid one
  std::string expected;  // must appear in the error (after the file name)
};

TEST_F(ConfigTest, ProtocolsRaftAndEndpointsAreRead) {
  Config config;
  const std::string text =
      valid_text() +
      "[raft]\ntick_ms = 50\nelection_ticks = 20\nheartbeat_ticks = 3\ncompact_after_entries = 0\n"
      "pipeline = false\nquiesce_ticks = 0\n"
      "[cluster]\npeers = [ { id = 1, address = \"127.0.0.1:7001\","
      " endpoints = { binary = \"127.0.0.1:7101\" } } ]\n"
      "[[protocol]]\nplugin = \"binary\"\nlisten = \"127.0.0.1:7101\"\nmax_connections = 5\n";
  ASSERT_TRUE(load(text, config)) << load(text, config).message();
  EXPECT_EQ(config.raft.tick_ms, 50u);
  EXPECT_EQ(config.raft.election_ticks, 20u);
  EXPECT_EQ(config.raft.heartbeat_ticks, 3u);
  EXPECT_EQ(config.raft.compact_after_entries, 0u);
  EXPECT_FALSE(config.raft.pipeline);
  EXPECT_EQ(config.raft.quiesce_ticks, 0u);
  EXPECT_EQ(config.services.max_value_bytes, 1024u * 1024u);
  ASSERT_EQ(config.cluster.peers.size(), 1u);
  EXPECT_EQ(config.cluster.peers[0].endpoints.at("binary"), "127.0.0.1:7101");
  ASSERT_EQ(config.protocols.size(), 1u);
  EXPECT_EQ(config.protocols[0].plugin, "binary");
  EXPECT_EQ(config.protocols[0].plugin_file, dir_ / "plugins" / "kahuna-protocol-binary.so");
  // The plugin gets its entry without `plugin`, and checks the rest itself.
  EXPECT_FALSE(config.protocols[0].options.contains("plugin"));
  EXPECT_EQ(config.protocols[0].options["max_connections"].value<std::int64_t>(), 5);
}

TEST_F(ConfigTest, AJoiningNodeNamesItsAddressEndpointsAndSeeds) {
  Config config;
  const std::string text = valid_text() +
                           "[cluster]\naddress = \"127.0.0.1:7004\"\n"
                           "endpoints = { binary = \"127.0.0.1:7104\" }\n"
                           "join = [\"127.0.0.1:7001\", \"[::1]:7002\"]\nreplication_factor = 3\n";
  ASSERT_TRUE(load(text, config)) << load(text, config).message();
  EXPECT_TRUE(config.cluster.joins());
  EXPECT_TRUE(config.cluster.networked());
  ASSERT_EQ(config.cluster.join.size(), 2u);
  EXPECT_EQ(config.cluster.join[1], (HostPort{"::1", 7002}));
  EXPECT_EQ(config.cluster.replication_factor, 3u);
  const PeerConfig self = config.cluster.self(1);
  EXPECT_EQ(self.address, (HostPort{"127.0.0.1", 7004}));
  EXPECT_EQ(self.endpoints.at("binary"), "127.0.0.1:7104");
}

TEST_F(ConfigTest, RequestIdBoundsAreReadWithTheirDefaults) {
  Config defaults;
  ASSERT_TRUE(load(valid_text(), defaults));
  EXPECT_EQ(defaults.services.request_id_capacity, 100000);
  EXPECT_EQ(defaults.services.request_id_retention_ms, 600000);
  Config config;
  const std::string text = valid_text() + "[requests]\nid_capacity = 5000\nid_retention_ms = 120000\n";
  ASSERT_TRUE(load(text, config)) << load(text, config).message();
  EXPECT_EQ(config.services.request_id_capacity, 5000);
  EXPECT_EQ(config.services.request_id_retention_ms, 120000);
}

TEST_F(ConfigTest, EveryBadFileIsRejectedWithFileKeyAndReason) {
  const std::string node = "[node]\nid = 1\ndata_dir = \"" + data_dir() + "\"\n";
  const std::string storage = "[storage]\nplugin = \"rocksdb\"\n";
  const std::vector<BadFile> whole_files = {
      {"not toml", node + "[storage\n", ": invalid TOML"},
      {"unknown key", "[node]\nid = 1\nidd = 2\ndata_dir = \"" + data_dir() + "\"\n" + storage,
       ":3:1: node.idd: unknown key"},
      {"missing table", storage, ": node: missing required key"},
      {"missing key", "[node]\nid = 1\n" + storage, ": node.data_dir: missing required key"},
      {"missing storage", node, ": storage: missing required key"},
      {"wrong type", "[node]\nid = \"one\"\ndata_dir = \"x\"\n" + storage,
       ":2:1: node.id: expected an integer, got a string"},
      {"out of range", "[node]\nid = 0\ndata_dir = \"x\"\n" + storage,
       "node.id: 0 is out of range: expected 1 to"},
      {"empty data dir", "[node]\nid = 1\ndata_dir = \"\"\n" + storage, "node.data_dir: must not be empty"},
      {"unknown plugin", node + "[storage]\nplugin = \"nosuch\"\n",
       "storage.plugin: no storage plugin named 'nosuch'"},
      {"data dir is a file",
       "[node]\nid = 1\ndata_dir = \"" + (dir_ / "plugins" / "kahuna-storage-lmdb.so").string() + "\"\n" +
           storage,
       "node.data_dir: '" + (dir_ / "plugins" / "kahuna-storage-lmdb.so").string() + "' is not a directory"},
  };
  // Valid files but for a table or key added at their end.
  const std::vector<BadFile> additions = {
      {"unknown top-level table", "[nodes]\nid = 1\n", ":6:2: nodes: unknown key"},
      {"bad log level", "[log]\nlevel = \"verbose\"\n", "log.level: 'verbose' is not a log level"},
      {"negative io threads", "[server]\nio_threads = -1\n", "server.io_threads: -1 is out of range"},
      {"storage key that is not a table", "cache = 5\n", "storage.cache: unknown key"},
      {"raft unknown key", "[raft]\ntick = 5\n", "raft.tick: unknown key"},
      {"key limit out of range", "[kv]\nmax_key_bytes = 0\n", "kv.max_key_bytes: 0 is out of range"},
      {"pipeline not a boolean", "[raft]\npipeline = \"yes\"\n", "raft.pipeline: expected a boolean"},
      {"lease reads not a boolean", "[raft]\nlease_reads = 1\n", "raft.lease_reads: expected a boolean"},
      {"negative quiescence", "[raft]\nquiesce_ticks = -1\n", "raft.quiesce_ticks: -1 is out of range"},
      {"requests unknown key", "[requests]\ncapacity = 5000\n", "requests.capacity: unknown key"},
      {"tiny log segments", "[raft]\nlog_segment_mb = 0\n", "raft.log_segment_mb: 0 is out of range"},
      {"negative state cache", "state_cache_mb = -1\n", "storage.state_cache_mb: -1 is out of range"},
      {"float for integer", "[cluster]\npartitions = 16.0\n",
       "cluster.partitions: expected an integer, got a floating-point number"},
      {"too many partitions", "[cluster]\npartitions = 100000\n",
       "cluster.partitions: 100000 is out of range"},
      {"bad address", "[cluster]\npeers = [ { id = 1, address = \"127.0.0.1:99999\" } ]\n",
       "cluster.peers[0].address: '127.0.0.1:99999' is not an address: the port must be a number"},
      {"address without port", "[cluster]\npeers = [ { id = 1, address = \"localhost\" } ]\n",
       "cluster.peers[0].address: 'localhost' is not an address: expected host:port"},
      {"peer not a table", "[cluster]\npeers = [ \"127.0.0.1:7001\" ]\n",
       "cluster.peers[0]: expected a table"},
      {"peer without id", "[cluster]\npeers = [ { address = \"127.0.0.1:7001\" } ]\n",
       "cluster.peers[0].id: missing required key"},
      {"peer unknown key", "[cluster]\npeers = [ { id = 1, address = \"127.0.0.1:7001\", port = 3 } ]\n",
       "cluster.peers[0].port: unknown key"},
      {"node not among peers", "[cluster]\npeers = [ { id = 2, address = \"127.0.0.1:7002\" } ]\n",
       "cluster.peers: this node's id (node.id = 1) is not among the peers"},
      {"options for an unknown engine", "[storage.lmbd]\nmap_size_mb = 1\n",
       "storage.lmbd: no storage plugin named 'lmbd' for these options; available: lmdb, rocksdb"},
      {"missing plugin dir", "[plugins]\ndir = \"/nonexistent/plugins\"\n",
       "plugins.dir: '/nonexistent/plugins' is not a directory"},
      {"unknown protocol", "[[protocol]]\nplugin = \"gopher\"\nlisten = \"127.0.0.1:1\"\n",
       "protocol[0].plugin: no protocol plugin named 'gopher'"},
      {"protocol without plugin", "[[protocol]]\nlisten = \"127.0.0.1:1\"\n",
       "protocol[0].plugin: missing required key"},
      {"protocol twice", "[[protocol]]\nplugin = \"binary\"\n[[protocol]]\nplugin = \"binary\"\n",
       "protocol[1].plugin: protocol 'binary' is configured twice"},
      {"heartbeat not below election", "[raft]\nelection_ticks = 5\nheartbeat_ticks = 5\n",
       "raft.heartbeat_ticks: must be less than raft.election_ticks (5)"},
      {"short idempotency retention", "[sequences]\nidempotency_retention_ms = 1000\n",
       "sequences.idempotency_retention_ms: 1000 is out of range"},
      {"request ids barely remembered", "[requests]\nid_capacity = 10\n",
       "requests.id_capacity: 10 is out of range"},
      {"request ids forgotten at once", "[requests]\nid_retention_ms = 1000\n",
       "requests.id_retention_ms: 1000 is out of range"},
      {"unknown raft log", "[raft]\nlog = \"wal\"\n",
       "raft.log: must be \"segmented\" or \"engine\", not \"wal\""},
      {"state cache not a number", "state_cache_mb = \"64\"\n",
       "storage.state_cache_mb: expected an integer"},
      {"duplicate peer id",
       "[cluster]\npeers = [ { id = 1, address = \"127.0.0.1:7001\" },"
       " { id = 1, address = \"127.0.0.1:7002\" } ]\n",
       "cluster.peers: peer id 1 appears twice"},
      {"duplicate peer address",
       "[cluster]\npeers = [ { id = 1, address = \"127.0.0.1:7001\" },"
       " { id = 2, address = \"127.0.0.1:7001\" } ]\n",
       "cluster.peers: address 127.0.0.1:7001 appears twice"},
      {"peer endpoint not a string",
       "[cluster]\npeers = [ { id = 1, address = \"127.0.0.1:7001\","
       " endpoints = { binary = 7101 } } ]\n",
       "cluster.peers[0].endpoints.binary: expected a string, got an integer"},
      {"join without address", "[cluster]\njoin = [\"127.0.0.1:7001\"]\n",
       "cluster.join: a joining node needs its own peer address: set cluster.address"},
      {"join with peers",
       "[cluster]\npeers = [ { id = 1, address = \"127.0.0.1:7001\" } ]\njoin = [\"127.0.0.1:7002\"]\n",
       "cluster.join: a node either starts a cluster (peers) or joins one (join), not both"},
      {"address with peers",
       "[cluster]\npeers = [ { id = 1, address = \"127.0.0.1:7001\" } ]\naddress = \"127.0.0.1:7004\"\n",
       "cluster.address: set either peers"},
      {"empty join", "[cluster]\naddress = \"127.0.0.1:7004\"\njoin = []\n",
       "cluster.join: must name at least one member's peer address"},
      {"join not strings", "[cluster]\naddress = \"127.0.0.1:7004\"\njoin = [7001]\n",
       "cluster.join: expected \"host:port\" strings"},
      {"bad join address", "[cluster]\naddress = \"127.0.0.1:7004\"\njoin = [\"nowhere\"]\n",
       "cluster.join: 'nowhere' is not an address"},
      {"bad own address", "[cluster]\naddress = \"127.0.0.1:0\"\n", "cluster.address:"},
      {"endpoints with peers",
       "[cluster]\npeers = [ { id = 1, address = \"127.0.0.1:7001\" } ]\nendpoints = { binary = \"x:1\" }\n",
       "cluster.endpoints: with peers, this node's endpoints are those of its own entry"},
      {"factor too large", "[cluster]\nreplication_factor = 6\n", "cluster.replication_factor"},
  };
  std::vector<BadFile> cases = whole_files;
  for (const BadFile& bad : additions) cases.push_back({bad.name, node + storage + bad.text, bad.expected});
  for (const BadFile& bad : cases) {
    Config config;
    const Status status = load(bad.text, config);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad.name;
    EXPECT_TRUE(status.message().starts_with(file().string())) << bad.name << ": " << status.message();
    EXPECT_NE(status.message().find(bad.expected), std::string::npos)
        << bad.name << "\n  expected: " << bad.expected << "\n  got:      " << status.message();
  }
}

TEST_F(ConfigTest, AMissingFileSaysSo) {
  Config config;
  const Status status = load_config(dir_ / "absent.toml", dir_ / "plugins", config);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_NE(status.message().find("cannot read configuration file '" + (dir_ / "absent.toml").string() +
                                  "': No such file or directory"),
            std::string::npos)
      << status.message();
}

// Permission bits do not stop root, so the check runs in a child process
// that has dropped to an unprivileged user when the test runs as root.
TEST_F(ConfigTest, ADataDirectoryWithoutWritePermissionIsRejected) {
  const fs::path locked = dir_ / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(dir_, fs::perms::all);
  const std::string text =
      "[node]\nid = 1\ndata_dir = \"" + (locked / "data").string() + "\"\n[storage]\nplugin = \"rocksdb\"\n";
  const fs::path file = dir_ / "node.toml";
  std::ofstream(file) << text;
  fs::permissions(file, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(dir_ / "plugins", fs::perms::all);

  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    Config config;
    const Status status = load_config(file, dir_ / "plugins", config);
    const std::string& message = status.message();
    [[maybe_unused]] auto written = ::write(pipe_fds[1], message.data(), message.size());
    ::_exit(status.code() == StatusCode::kInvalidArgument ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) message.append(buffer, n);
  ::close(pipe_fds[0]);
  int wait_status = 0;
  ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0) << message;
  EXPECT_NE(message.find(file.string() + ": node.data_dir: cannot create '" + (locked / "data").string() +
                         "': Permission denied"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace kahuna
