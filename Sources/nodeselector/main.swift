print("nodeselector: the client CLI is being written")
