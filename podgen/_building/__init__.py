"""Building: flags and blueprint words into a checked PodRequest, and the spec objects it makes."""
