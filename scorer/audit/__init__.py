"""`score audit`: a submitted 自评表 found in a grid of cells, read, checked against the rules, and reported."""
