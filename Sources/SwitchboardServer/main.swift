import Server

await ServerEntry.main()
