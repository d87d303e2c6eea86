# The shared buffers a request's statements touched, from psql's output
# of bench/explain.awk's input: in the second run ("@@@ run 2"), each
# statement's top plan node's "Buffers: shared hit=H read=R" (a node's
# counts include its children's, the functions it called and its
# InitPlans'), H + R summed over the statements; the planning's buffers
# ("Planning:") are left out.  Prints the sum and the number of
# statements explained, or nothing when psql reported an error.
#
#   awk -f bench/buffers.awk out/PAGE.explain.SET
/^@@@ run / { run = $3; next }
/^@@ / { top = (run == 2); n += top; next }
/ERROR:/ { bad = 1 }
top && /^(Planning|Execution|Trigger|JIT)/ { top = 0 }
top && /^ *Buffers: shared / {
	for (i = 1; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "hit" || kv[1] == "read")
			sum += kv[2]
	}
	top = 0
}
END { if (!bad && n) print sum + 0, n }
