// Command nodeselector-go-contract checks nodeselectord's gRPC contract from Go.
//
// Why a second language: the Python contract tests share the gRPC C core with the daemon,
// so a bug in that core's HTTP/2 framing could hide on both sides. grpc-go has its own
// HTTP/2 stack; when every RPC and every documented error status works from here too, the
// .proto files really are the contract. The stubs are generated at build time (see
// build.sh), never written by hand.
//
// usage:
//
//	nodeselector-go-contract -target 127.0.0.1:PORT -sim-url http://127.0.0.1:PORT
//	  [-node-limit N]
//
// The daemon must use the simulator at -sim-url as its Hetzner API (with --agent-port set to
// the simulator's agent port) and be started with --node-limit N (default 1). Prints one line
// per check and a closing "N passed, N failed" line; exits 1 when a check failed, 2 on bad
// usage.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"time"

	"google.golang.org/grpc"

	"nodeselector-go-contract/gen/healthpb"
	pb "nodeselector-go-contract/gen/nodeselectorpb"
)

func main() {
	target := flag.String("target", "", "daemon address, HOST:PORT on loopback")
	simURL := flag.String("sim-url", "", "base URL of the Hetzner simulator the daemon uses")
	nodeLimit := flag.Int("node-limit", 1, "the daemon's --node-limit")
	flag.Parse()
	if err := checkUsage(*target, *simURL, *nodeLimit); err != nil {
		fmt.Fprintf(os.Stderr, "nodeselector-go-contract: %v\n", err)
		flag.Usage()
		os.Exit(2)
	}

	conn, err := dial(*target)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nodeselector-go-contract: dial %s: %v\n", *target, err)
		os.Exit(1)
	}
	defer conn.Close()

	s := &suite{
		target:    *target,
		conn:      conn,
		ns:        pb.NewNodeSelectorClient(conn),
		health:    healthpb.NewHealthClient(conn),
		sim:       newSimulator(*simURL),
		nodeLimit: *nodeLimit,
	}
	s.runAll()
	fmt.Printf("go-contract: %d passed, %d failed\n", s.passed, s.failed)
	if s.failed > 0 {
		os.Exit(1)
	}
}

// checkUsage refuses anything that is not loopback: these checks create and delete servers,
// and must never reach a real cloud or another machine by mistake.
func checkUsage(target, simURL string, nodeLimit int) error {
	if target == "" || simURL == "" {
		return fmt.Errorf("-target and -sim-url are required")
	}
	if nodeLimit < 1 {
		return fmt.Errorf("-node-limit must be at least 1")
	}
	host, _, err := net.SplitHostPort(target)
	if err != nil {
		return fmt.Errorf("-target %q: %v", target, err)
	}
	if !isLoopback(host) {
		return fmt.Errorf("-target %q is not a loopback address", target)
	}
	parsed, err := url.Parse(simURL)
	if err != nil || parsed.Scheme != "http" || !isLoopback(parsed.Hostname()) {
		return fmt.Errorf("-sim-url %q is not an http URL on a loopback address", simURL)
	}
	return nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// dial connects with grpc-go's own transport, no TLS and no proxy, and waits until the
// HTTP/2 connection is up so that the first check does not measure connection set-up.
func dial(target string) (*grpc.ClientConn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return grpc.DialContext(ctx, target, grpc.WithInsecure(), grpc.WithNoProxy(),
		grpc.WithBlock())
}
