using Federated.Bench.Blobs;

// `load [count] [megabytes] [server.dll]` (default 10 x 100): starts `serve` as a child process (this build, or the
// given one) and measures its RSS under parallel downloads, then parallel uploads.
// `serve <dir> <url>`: the blob server alone, configured as `fed coordinator` configures it, until stdin closes.
#if BASELINE
return await BlobServeMode.RunAsync(args[1], args[2]);
#else
return args.FirstOrDefault() switch
{
    "serve" => await BlobServeMode.RunAsync(args[1], args[2]),
    _ => await BlobLoadMode.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 10, args.Length > 2 ? int.Parse(args[2]) : 100, args.Length > 3 ? args[3] : null),
};
#endif
