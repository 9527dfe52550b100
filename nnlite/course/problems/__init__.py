"""The exercises, one concept a file: each holds its stub, a right solution, the trials
it is checked on and the mistakes its check can name."""
