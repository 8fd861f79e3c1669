"""Reading what a department declares into checked, exact values, ready to be judged."""
