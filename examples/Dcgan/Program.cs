return Dcgan.Cli.DcganCli.Run(args);
