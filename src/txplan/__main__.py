from txplan.entry import main

main()
