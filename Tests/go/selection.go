package main

import (
	"fmt"

	"google.golang.org/grpc/codes"

	pb "nodeselector-go-contract/gen/nodeselectorpb"
)

// selectionChecks: SelectNode on existing capacity (assign, retry, advice), ReleaseNode to
// WARM and the warm claim after it, and the errors around them. User "go-select" owns one
// healthy adopted node; "go-unfit" owns one unhealthy node.
func (s *suite) selectionChecks() {
	const user = "go-select"
	node, err := s.register(user, pb.NodeHealth_NODE_HEALTH_HEALTHY, 10, 20)
	s.check("RegisterNode with health and metrics for selection", func() error { return err })
	if node == nil {
		return
	}
	s.check("SelectNode assigns a task to a running node with room and explains", func() error {
		answer, err := s.selectNode(&pb.SelectNodeRequest{UserId: user, TaskId: "go-t1"})
		if err != nil {
			return err
		}
		method := pb.SelectionMethod_SELECTION_METHOD_EXISTING_CAPACITY
		if err := wantAnswer(answer, node.GetId(), method, 1); err != nil {
			return err
		}
		for _, considered := range answer.GetExplanation().GetConsidered() {
			if considered.GetNodeId() == node.GetId() && considered.GetChosen() {
				return nil
			}
		}
		return fmt.Errorf("explanation %v does not show %s chosen", answer.GetExplanation(),
			node.GetId())
	})
	s.check("SelectNode retried with the same task id returns the same assignment", func() error {
		answer, err := s.selectNode(&pb.SelectNodeRequest{UserId: user, TaskId: "go-t1"})
		if err != nil {
			return err
		}
		return wantAnswer(answer, node.GetId(),
			pb.SelectionMethod_SELECTION_METHOD_EXISTING_ASSIGNMENT, 1)
	})
	s.check("SelectNode without a task id names a node and assigns nothing", func() error {
		answer, err := s.selectNode(&pb.SelectNodeRequest{UserId: user})
		if err != nil {
			return err
		}
		return wantAnswer(answer, node.GetId(), answer.GetMethod(), 1)
	})
	s.check("DestroyNode while a task is assigned gives FAILED_PRECONDITION", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		_, err := s.ns.DestroyNode(ctx, &pb.DestroyNodeRequest{NodeId: node.GetId()})
		return wantStatus(err, codes.FailedPrecondition, node.GetId(), "force")
	})
	s.releaseChecks(node.GetId())
	s.check("SelectNode claims the warm node for the next task", func() error {
		answer, err := s.selectNode(&pb.SelectNodeRequest{UserId: user, TaskId: "go-t2"})
		if err != nil {
			return err
		}
		if answer.GetNode().GetState() != pb.NodeState_NODE_STATE_RUNNING {
			return fmt.Errorf("state %s, want RUNNING after the claim", answer.GetNode().GetState())
		}
		return wantAnswer(answer, node.GetId(), pb.SelectionMethod_SELECTION_METHOD_WARM_CLAIM, 1)
	})
	s.selectionErrorChecks()
}

func (s *suite) releaseChecks(nodeID string) {
	s.check("ReleaseNode of the last assignment makes the node WARM", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		request := &pb.ReleaseNodeRequest{NodeId: nodeID, TaskId: "go-t1"}
		answer, err := s.ns.ReleaseNode(ctx, request)
		if err != nil {
			return err
		}
		got := answer.GetNode()
		if got.GetState() != pb.NodeState_NODE_STATE_WARM || got.GetWorkspaces() != 0 ||
			got.GetWarmSinceUnixMs() <= 0 {
			return fmt.Errorf("state %s workspaces %d warm_since %d, want WARM, 0, set",
				got.GetState(), got.GetWorkspaces(), got.GetWarmSinceUnixMs())
		}
		return nil
	})
	s.check("ReleaseNode of a task with no assignment gives NOT_FOUND", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		_, err := s.ns.ReleaseNode(ctx, &pb.ReleaseNodeRequest{NodeId: nodeID, TaskId: "go-t1"})
		return wantStatus(err, codes.NotFound, "go-t1")
	})
	s.check("ReleaseNode without a task id gives INVALID_ARGUMENT", func() error {
		ctx, cancel := call(callTimeout)
		defer cancel()
		_, err := s.ns.ReleaseNode(ctx, &pb.ReleaseNodeRequest{NodeId: nodeID})
		return wantStatus(err, codes.InvalidArgument, "task_id")
	})
}

func (s *suite) selectionErrorChecks() {
	s.check("SelectNode without a user id gives INVALID_ARGUMENT", func() error {
		_, err := s.selectNode(&pb.SelectNodeRequest{TaskId: "go-t3"})
		return wantStatus(err, codes.InvalidArgument, "user_id")
	})
	s.check("SelectNode with an unknown size gives INVALID_ARGUMENT naming it", func() error {
		_, err := s.selectNode(&pb.SelectNodeRequest{UserId: "go-select", PreferredSize: "huge"})
		return wantStatus(err, codes.InvalidArgument, "huge")
	})
	s.check("SelectNode with nothing fitting and no allow_provision: FAILED_PRECONDITION",
		func() error {
			unhealthy := pb.NodeHealth_NODE_HEALTH_UNHEALTHY
			if _, err := s.register("go-unfit", unhealthy, 1, 1); err != nil {
				return err
			}
			_, err := s.selectNode(&pb.SelectNodeRequest{UserId: "go-unfit", TaskId: "go-t4"})
			return wantStatus(err, codes.FailedPrecondition, "unhealthy", "allow_provision")
		})
}

// selectNode calls SelectNode with the short deadline: these answers need no cloud.
func (s *suite) selectNode(request *pb.SelectNodeRequest) (*pb.SelectNodeResponse, error) {
	ctx, cancel := call(callTimeout)
	defer cancel()
	return s.ns.SelectNode(ctx, request)
}

// wantAnswer checks the node, how it was found and how many tasks it now carries.
func wantAnswer(answer *pb.SelectNodeResponse, nodeID string, method pb.SelectionMethod,
	workspaces uint32) error {
	got := answer.GetNode()
	if got.GetId() != nodeID || answer.GetMethod() != method ||
		got.GetWorkspaces() != workspaces {
		return fmt.Errorf("got node %s by %s with %d workspaces, want %s by %s with %d",
			got.GetId(), answer.GetMethod(), got.GetWorkspaces(), nodeID, method, workspaces)
	}
	return nil
}
