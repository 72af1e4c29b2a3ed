#!/usr/bin/env node
import '../dist/loopline.mjs';
