import Console

await ConsoleEntry.main()
