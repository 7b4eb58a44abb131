package main

import (
	"fmt"
	"math"

	"google.golang.org/grpc/codes"

	"nodeselector-go-contract/gen/healthpb"
	pb "nodeselector-go-contract/gen/nodeselectorpb"
)

// healthChecks: grpc.health.v1 answers SERVING for the server and the service, NOT_FOUND
// for a service it does not have.
func (s *suite) healthChecks() {
	for _, service := range []string{"", "nodeselector.v1.NodeSelector"} {
		service := service
		s.check(fmt.Sprintf("Health/Check %q answers SERVING", service), func() error {
			return s.wantServing(service)
		})
	}
	s.check("Health/Check of an unknown service gives NOT_FOUND", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		_, err := s.health.Check(ctx, &healthpb.HealthCheckRequest{Service: "no.such.Service"})
		return wantStatus(err, codes.NotFound, "no.such.Service")
	})
}

func (s *suite) wantServing(service string) error {
	ctx, cancel := call(callTimeout)
	defer cancel()
	answer, err := s.health.Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		return err
	}
	if answer.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return fmt.Errorf("status %s, want SERVING", answer.GetStatus())
	}
	return nil
}

// inventoryChecks: RegisterNode, GetNode, ListNodes, ReportNodeStatus and DestroyNode of an
// adopted node, with the errors each documents. User "go-inventory" owns these nodes.
func (s *suite) inventoryChecks() {
	const user = "go-inventory"
	var adopted *pb.Node
	s.check("RegisterNode adopts a node RUNNING, HEALTHY, port 8080 by default", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		answer, err := s.ns.RegisterNode(ctx, &pb.RegisterNodeRequest{
			UserId: user, Address: "127.0.0.1", ServerType: "cx22", Location: "fsn1",
		})
		if err != nil {
			return err
		}
		adopted = answer.GetNode()
		switch {
		case adopted.GetId() == "" || adopted.GetUserId() != user:
			return fmt.Errorf("node id %q user %q", adopted.GetId(), adopted.GetUserId())
		case adopted.GetState() != pb.NodeState_NODE_STATE_RUNNING:
			return fmt.Errorf("state %s, want RUNNING", adopted.GetState())
		case adopted.GetHealth() != pb.NodeHealth_NODE_HEALTH_HEALTHY:
			return fmt.Errorf("health %s, want HEALTHY (UNKNOWN is stored as HEALTHY)",
				adopted.GetHealth())
		case adopted.GetAgentPort() != 8080 || adopted.GetProvisioned():
			return fmt.Errorf("agent_port %d provisioned %v, want 8080 and false",
				adopted.GetAgentPort(), adopted.GetProvisioned())
		}
		return nil
	})
	s.check("RegisterNode without an address gives INVALID_ARGUMENT", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		_, err := s.ns.RegisterNode(ctx, &pb.RegisterNodeRequest{
			UserId: user, ServerType: "cx22",
		})
		return wantStatus(err, codes.InvalidArgument, "address")
	})
	if adopted == nil {
		return
	}
	s.check("GetNode returns the registered node", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		answer, err := s.ns.GetNode(ctx, &pb.GetNodeRequest{NodeId: adopted.GetId()})
		if err != nil {
			return err
		}
		got := answer.GetNode()
		if got.GetId() != adopted.GetId() || got.GetServerType() != "cx22" ||
			got.GetLocation() != "fsn1" || got.GetAddress() != "127.0.0.1" {
			return fmt.Errorf("got %v, want the node registered as %v", got, adopted)
		}
		return nil
	})
	s.check("GetNode of an unknown id gives NOT_FOUND", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		_, err := s.ns.GetNode(ctx, &pb.GetNodeRequest{NodeId: "n-missing"})
		return wantStatus(err, codes.NotFound, "n-missing")
	})
	s.check("ListNodes returns the user's nodes only", func() error {
		ids, err := s.listIDs(user, false)
		if err != nil {
			return err
		}
		if len(ids) != 1 || ids[0] != adopted.GetId() {
			return fmt.Errorf("ids %v, want [%s]", ids, adopted.GetId())
		}
		return nil
	})
	s.reportChecks(adopted.GetId())
	s.check("DestroyNode forgets an adopted node: STOPPED, listed only with terminals",
		func() error { return s.destroyAdopted(user, adopted.GetId()) })
	s.check("DestroyNode of an unknown id gives NOT_FOUND", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		_, err := s.ns.DestroyNode(ctx, &pb.DestroyNodeRequest{NodeId: "n-missing"})
		return wantStatus(err, codes.NotFound, "n-missing")
	})
}

func (s *suite) reportChecks(nodeID string) {
	s.check("ReportNodeStatus stores health and metrics, drops a NaN figure", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		answer, err := s.ns.ReportNodeStatus(ctx, &pb.ReportNodeStatusRequest{
			NodeId: nodeID, Health: pb.NodeHealth_NODE_HEALTH_UNHEALTHY,
			Metrics: &pb.Metrics{
				CpuPercent: &pb.Gauge{Value: 42.5}, MemoryPercent: &pb.Gauge{Value: math.NaN()},
			},
		})
		if err != nil {
			return err
		}
		node := answer.GetNode()
		metrics := node.GetMetrics()
		switch {
		case node.GetHealth() != pb.NodeHealth_NODE_HEALTH_UNHEALTHY:
			return fmt.Errorf("health %s, want UNHEALTHY", node.GetHealth())
		case metrics.GetCpuPercent() == nil || metrics.GetCpuPercent().GetValue() != 42.5:
			return fmt.Errorf("cpu_percent %v, want 42.5", metrics.GetCpuPercent())
		case metrics.GetMemoryPercent() != nil:
			return fmt.Errorf("memory_percent %v, want unset (NaN is not a figure)",
				metrics.GetMemoryPercent())
		}
		return nil
	})
	s.check("ReportNodeStatus of an unknown id gives NOT_FOUND", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		_, err := s.ns.ReportNodeStatus(ctx, &pb.ReportNodeStatusRequest{NodeId: "n-missing"})
		return wantStatus(err, codes.NotFound, "n-missing")
	})
}

func (s *suite) destroyAdopted(user, nodeID string) error {
	ctx, cancel := call(callTimeout)
	defer cancel()
	answer, err := s.ns.DestroyNode(ctx, &pb.DestroyNodeRequest{NodeId: nodeID})
	if err != nil {
		return err
	}
	if answer.GetNode().GetState() != pb.NodeState_NODE_STATE_STOPPED {
		return fmt.Errorf("state %s, want STOPPED", answer.GetNode().GetState())
	}
	live, err := s.listIDs(user, false)
	if err != nil {
		return err
	}
	all, err := s.listIDs(user, true)
	if err != nil {
		return err
	}
	if contains(live, nodeID) || !contains(all, nodeID) {
		return fmt.Errorf("listed %v without terminals and %v with, want it only in the second",
			live, all)
	}
	return nil
}
