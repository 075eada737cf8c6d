from mcp_dockernet.cli import main

main()
