#!/usr/bin/env Rscript
# Rt with EpiEstim (Debian's r-cran-epiestim, 2.2-4), for comparison with epiledger-analytics.
#
#   Rscript scripts/rt-epiestim.R [--si-mean 4.7] [--si-sd 2.9] [--window 7] [--out DIR] FILE...
#
# Each FILE is a CSV `date,local,imported` with one row a day and no empty count. For each FILE
# this writes DIR/<name>.csv (default: standard output for a single file) with the columns
# date,mean,std,q025,q05,q25,median,q75,q95,q975 (17 significant digits), one row a window that
# EpiEstim gives an estimate for (the window's last day as the date). estimate_R runs with
# method "parametric_si" and its defaults; with --window other than 7, t_start = 2 … T-window+1
# and t_end = t_start + window - 1, as EpiEstim's default windows are built.
# On standard error, the seconds spent in estimate_R alone (R's start and the CSV excluded).

suppressPackageStartupMessages(library(EpiEstim))

args <- commandArgs(trailingOnly = TRUE)
si_mean <- 4.7; si_sd <- 2.9; window <- 7; out_dir <- NULL; files <- character()
i <- 1
while (i <= length(args)) {
  a <- args[[i]]
  if (a %in% c("--si-mean", "--si-sd", "--window", "--out")) {
    v <- args[[i + 1]]
    if (a == "--si-mean") si_mean <- as.numeric(v)
    if (a == "--si-sd") si_sd <- as.numeric(v)
    if (a == "--window") window <- as.integer(v)
    if (a == "--out") out_dir <- v
    i <- i + 2
  } else {
    files <- c(files, a)
    i <- i + 1
  }
}
if (length(files) == 0) stop("give at least one CSV file date,local,imported")

fmt <- function(x) sprintf("%.17g", x)
elapsed <- 0
for (f in files) {
  d <- read.csv(f, colClasses = c("character", "numeric", "numeric"))
  if (any(is.na(d$local)) || any(is.na(d$imported))) stop(paste(f, "has an empty count"))
  n <- nrow(d)
  cfg <- make_config(list(
    mean_si = si_mean, std_si = si_sd,
    t_start = seq(2, n - window + 1), t_end = seq(2, n - window + 1) + window - 1
  ))
  started <- proc.time()[["elapsed"]]
  res <- suppressWarnings(suppressMessages(estimate_R(
    incid = data.frame(local = d$local, imported = d$imported),
    method = "parametric_si", config = cfg
  )))
  elapsed <- elapsed + proc.time()[["elapsed"]] - started
  r <- res$R
  keep <- !is.na(r[["Mean(R)"]])
  out <- data.frame(
    date = d$date[r$t_end[keep]],
    mean = fmt(r[["Mean(R)"]][keep]),
    std = fmt(r[["Std(R)"]][keep]),
    q025 = fmt(r[["Quantile.0.025(R)"]][keep]),
    q05 = fmt(r[["Quantile.0.05(R)"]][keep]),
    q25 = fmt(r[["Quantile.0.25(R)"]][keep]),
    median = fmt(r[["Median(R)"]][keep]),
    q75 = fmt(r[["Quantile.0.75(R)"]][keep]),
    q95 = fmt(r[["Quantile.0.95(R)"]][keep]),
    q975 = fmt(r[["Quantile.0.975(R)"]][keep])
  )
  if (is.null(out_dir)) {
    write.csv(out, stdout(), row.names = FALSE, quote = FALSE)
  } else {
    name <- sub("\\.csv$", "", basename(f))
    write.csv(out, file.path(out_dir, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  }
}
message(sprintf("estimate_R: %d series, %.3f s", length(files), elapsed))
