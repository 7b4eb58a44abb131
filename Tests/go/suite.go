package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"nodeselector-go-contract/gen/healthpb"
	pb "nodeselector-go-contract/gen/nodeselectorpb"
)

// callTimeout bounds every call that should answer at once; provisioning gets longer.
const (
	callTimeout      = 5 * time.Second
	provisionTimeout = 30 * time.Second
)

// suite holds the connection and the tally. Checks run in order and later ones use nodes
// that earlier ones made, so each user id below belongs to one group of checks.
type suite struct {
	target    string
	conn      *grpc.ClientConn
	ns        pb.NodeSelectorClient
	health    healthpb.HealthClient
	sim       *simulator
	nodeLimit int
	passed    int
	failed    int
	// detail, when a check sets it, is printed after the check's name on its line.
	detail string
}

// runAll runs every group: each RPC's happy path, then each documented error status.
func (s *suite) runAll() {
	s.healthChecks()
	s.inventoryChecks()
	s.selectionChecks()
	s.provisioningChecks()
	s.limitChecks()
	s.cloudFailureChecks()
	s.protocolChecks()
}

// check runs one named check and prints one line for it. A check returns nil or an error
// that says what was expected and what came back.
func (s *suite) check(name string, run func() error) {
	s.detail = ""
	err := run()
	if s.detail != "" {
		name += " (" + s.detail + ")"
	}
	if err != nil {
		s.failed++
		fmt.Printf("FAIL %s: %v\n", name, err)
		return
	}
	s.passed++
	fmt.Printf("ok   %s\n", name)
}

// call gives one RPC its own deadline; cancel must be called when the RPC is done.
func call(timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), timeout)
}

// wantStatus checks that err is a gRPC status with the given code and that its message
// mentions each of the given words, so a person reading it could act on it.
func wantStatus(err error, want codes.Code, words ...string) error {
	if err == nil {
		return fmt.Errorf("want %s, got success", want)
	}
	got, ok := status.FromError(err)
	if !ok {
		return fmt.Errorf("want %s, got a non-status error: %v", want, err)
	}
	if got.Code() != want {
		return fmt.Errorf("want %s, got %s: %q", want, got.Code(), got.Message())
	}
	for _, word := range words {
		if !strings.Contains(got.Message(), word) {
			return fmt.Errorf("%s message %q does not mention %q", want, got.Message(), word)
		}
	}
	return nil
}

// register adopts a node for user; health UNHEALTHY keeps it out of selection.
func (s *suite) register(user string, health pb.NodeHealth, cpu, memory float64) (*pb.Node,
	error) {
	ctx, cancel := call(callTimeout)
	defer cancel()
	answer, err := s.ns.RegisterNode(ctx, &pb.RegisterNodeRequest{
		UserId: user, Address: "127.0.0.1", AgentPort: 9, ServerType: "cx22",
		Location: "fsn1", Health: health,
		Metrics: &pb.Metrics{
			CpuPercent: &pb.Gauge{Value: cpu}, MemoryPercent: &pb.Gauge{Value: memory},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("RegisterNode for %s: %v", user, err)
	}
	return answer.GetNode(), nil
}

// listIDs names the nodes ListNodes returns for user, in the order they come.
func (s *suite) listIDs(user string, includeTerminal bool) ([]string, error) {
	ctx, cancel := call(callTimeout)
	defer cancel()
	answer, err := s.ns.ListNodes(ctx, &pb.ListNodesRequest{
		UserId: user, IncludeTerminal: includeTerminal,
	})
	if err != nil {
		return nil, fmt.Errorf("ListNodes for %s: %v", user, err)
	}
	ids := []string{}
	for _, node := range answer.GetNodes() {
		ids = append(ids, node.GetId())
	}
	return ids, nil
}

func contains(ids []string, id string) bool {
	for _, candidate := range ids {
		if candidate == id {
			return true
		}
	}
	return false
}
