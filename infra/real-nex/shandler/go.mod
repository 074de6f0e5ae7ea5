module disorder.dev/shandler

go 1.22
