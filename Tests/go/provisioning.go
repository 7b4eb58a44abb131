package main

import (
	"fmt"
	"time"

	"google.golang.org/grpc/codes"

	pb "nodeselector-go-contract/gen/nodeselectorpb"
)

// provisioningChecks: SelectNode creates a server through the simulator and waits until its
// agent answers; ReleaseNode and DestroyNode then delete that server again.
func (s *suite) provisioningChecks() {
	const user = "go-provision"
	var node *pb.Node
	s.check("SelectNode provisions a server and returns it RUNNING", func() error {
		answer, err := s.provision(user, "go-p1", provisionTimeout)
		if err != nil {
			return err
		}
		node = answer.GetNode()
		switch {
		case answer.GetMethod() != pb.SelectionMethod_SELECTION_METHOD_PROVISIONED:
			return fmt.Errorf("method %s, want PROVISIONED", answer.GetMethod())
		case node.GetState() != pb.NodeState_NODE_STATE_RUNNING || !node.GetProvisioned():
			return fmt.Errorf("state %s provisioned %v, want RUNNING and true",
				node.GetState(), node.GetProvisioned())
		}
		server, err := s.sim.serverByID(node.GetCloudServerId())
		if err != nil {
			return err
		}
		if server == nil || server.Labels["nodeselector-node"] != node.GetId() {
			return fmt.Errorf("simulator server %d is %v, want one labelled with node %s",
				node.GetCloudServerId(), server, node.GetId())
		}
		return nil
	})
	if node == nil {
		return
	}
	s.check("ReleaseNode then DestroyNode deletes the provisioned server", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		if _, err := s.ns.ReleaseNode(ctx, &pb.ReleaseNodeRequest{
			NodeId: node.GetId(), TaskId: "go-p1",
		}); err != nil {
			return fmt.Errorf("ReleaseNode: %v", err)
		}
		answer, err := s.ns.DestroyNode(ctx, &pb.DestroyNodeRequest{NodeId: node.GetId()})
		if err != nil {
			return err
		}
		state := answer.GetNode().GetState()
		if state != pb.NodeState_NODE_STATE_DESTROYING && state != pb.NodeState_NODE_STATE_STOPPED {
			return fmt.Errorf("state %s, want DESTROYING or STOPPED", state)
		}
		return s.awaitServerGone(node.GetCloudServerId(), 15*time.Second)
	})
}

// limitChecks: at the node limit, SelectNode refuses to provision with RESOURCE_EXHAUSTED
// and a message that names the limit and the count, and creates no server.
func (s *suite) limitChecks() {
	const user = "go-limit"
	s.check(fmt.Sprintf("SelectNode at the node limit (%d) gives RESOURCE_EXHAUSTED",
		s.nodeLimit), func() error {
		for i := 0; i < s.nodeLimit; i++ {
			if _, err := s.register(user, pb.NodeHealth_NODE_HEALTH_UNHEALTHY, 1, 1); err != nil {
				return err
			}
		}
		before, err := s.sim.servers()
		if err != nil {
			return err
		}
		_, err = s.provision(user, "go-l1", callTimeout)
		limit := fmt.Sprintf("%d of %d", s.nodeLimit, s.nodeLimit)
		if err := wantStatus(err, codes.ResourceExhausted, limit); err != nil {
			return err
		}
		after, err := s.sim.servers()
		if err != nil {
			return err
		}
		if len(after) != len(before) {
			return fmt.Errorf("the simulator had %d servers and now has %d", len(before),
				len(after))
		}
		return nil
	})
}

// provision asks for a new node and waits until it is ready, within timeout.
func (s *suite) provision(user, task string, timeout time.Duration) (*pb.SelectNodeResponse,
	error) {
	ctx, cancel := call(timeout)
	defer cancel()
	return s.ns.SelectNode(ctx, provisionRequest(user, task))
}

func provisionRequest(user, task string) *pb.SelectNodeRequest {
	return &pb.SelectNodeRequest{
		UserId: user, TaskId: task, PreferredSize: "cx22", PreferredLocation: "nbg1",
		AllowProvision: true, WaitUntilReady: true,
	}
}

// awaitServerGone polls the simulator until the server is deleted: deletion runs after
// DestroyNode answers.
func (s *suite) awaitServerGone(serverID int64, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		server, err := s.sim.serverByID(serverID)
		if err != nil {
			return err
		}
		if server == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server %d still exists (%s) after %s", serverID, server.Status,
				limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
