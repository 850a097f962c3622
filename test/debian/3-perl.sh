# perl: regular expressions, hashes, sprintf, sort, fork/wait, pipes.
perl -e '
	my %h = (pear => 3, fig => 1, kiwi => 2);
	print join(",", sort { $h{$a} <=> $h{$b} } keys %h), "\n";
	my $s = "2024-05-06"; my ($y, $m, $d) = $s =~ /(\d+)-(\d+)-(\d+)/;
	printf "%s/%s/%s %05.1f\n", $d, $m, $y, 3.14159;
	(my $t = "banana") =~ s/a/A/g; print "$t\n";
	my $pid = fork(); if ($pid == 0) { exit 7 } waitpid($pid, 0); print "child ", $? >> 8, "\n";
	open(my $p, "-|", "echo", "from", "pipe") or die; print scalar <$p>; close $p;
	pipe(my $r, my $w); if (!fork) { close $r; print $w "through pipe\n"; exit 0 }
	close $w; print <$r>; wait;
	my @sq = map { $_ * $_ } grep { $_ % 2 } 1 .. 9; print "@sq\n";
	local $/ = undef; open(my $f, "<", "/proc/self/stat") or die; my $st = <$f>;
	print(($st =~ /^\d+ \(perl\)/) ? "proc ok\n" : "proc bad\n");
	print "sum ", eval { my $x = 0; $x += $_ for 1 .. 100; $x }, "\n";
'
