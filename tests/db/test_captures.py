"""Every paper of every real capture in tests/fixtures/captures/ (see its SOURCES.md), field by field.

The captures are byte-exact copies of files other people saved; nobody here wrote them. The
expected papers below were worked out by reading each file (the API and feed tables with the
standard library's JSON and XML readers, the clips by eye), never from papershelf's output.
"""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db.parse import parse_bytes
from tests.support.library import FIXTURES

CAPTURES = FIXTURES / "captures"


def read(name: str, captured_on: date = date(2026, 9, 1)):
    path = next(CAPTURES.glob(name + "*"))
    return parse_bytes(path.read_bytes(), source=path.name, captured_on=captured_on)


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# (arxiv_id, title, upvotes, comments, published, authors_count, organization, github,
#  github_stars, daily_day, submitter, AI keywords, has AI summary, project page)
API_2026_MINIFIED = [
    (
        "2606.00467",
        "On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on Annotation Task Performance",
        0,
        2,
        "2026-05-30",
        3,
        "California institute of technology",
        None,
        None,
        "2026-06-12",
        "RKocielnik",
        14,
        True,
        None,
    ),
    (
        "2606.12730",
        "Rethinking Psychometric Evaluation of LLMs: When and Why Self-Reports Predict Behavior",
        5,
        3,
        "2026-06-10",
        8,
        None,
        "https://github.com/psychology-of-AI/Rethinking-Pyschometric-Eval-LLMs",
        1,
        "2026-06-12",
        "RKocielnik",
        11,
        True,
        None,
    ),
    (
        "2606.13594",
        "See What I See, Know What I Think: Dense Latent Communication Across Heterogeneous Agents",
        3,
        2,
        "2026-06-11",
        10,
        "University of Michigan",
        None,
        None,
        "2026-06-12",
        "siyich",
        10,
        True,
        "https://chicychen.github.io/dense-hetero-latent-mas/",
    ),
    (
        "2606.13174",
        "Getting Better at Working With You: Compiling User Corrections into Runtime Enforcement for Coding Agents",
        2,
        2,
        "2026-06-11",
        11,
        None,
        "https://github.com/YujunZhou/tellonce",
        2,
        "2026-06-12",
        "yujunzhou",
        10,
        True,
        None,
    ),
    (
        "2606.10423",
        "WebChallenger: A Reliable and Efficient Generalist Web Agent",
        2,
        2,
        "2026-06-09",
        3,
        None,
        "https://github.com/jayoohwang1/webchallenger",
        2,
        "2026-06-12",
        "jayoohwang",
        8,
        True,
        "https://jayoohwang1.github.io/webchallenger-site/",
    ),
    (
        "2606.07867",
        "The Cold-Start Safety Gap in LLM Agents",
        2,
        2,
        "2026-06-05",
        3,
        None,
        "https://github.com/Trustworthy-ML-Lab/Agent-Cold-Start-Safety-Gap",
        1,
        "2026-06-12",
        "cesun",
        9,
        True,
        "https://lilywenglab.github.io/Agent-Cold-Start-Safety-Gap/",
    ),
    (
        "2606.11409",
        "Risk Under Pressure: Compute-Aware Evaluation of Adversarial Robustness in Language Models",
        8,
        3,
        "2026-06-09",
        4,
        "r-three",
        "https://github.com/r-three/risk-under-pressure",
        1,
        "2026-06-12",
        "Malikeh1375",
        13,
        True,
        None,
    ),
    (
        "2606.12451",
        "ToolSense: A Diagnostic Framework for Auditing Parametric Tool Knowledge in LLMs",
        2,
        2,
        "2026-06-04",
        4,
        "SAP",
        "https://github.com/SAP/toolsense",
        1,
        "2026-06-12",
        "ashutosh1919",
        9,
        True,
        None,
    ),
    (
        "2606.12488",
        "A Stationary (and Therefore Compatible) Representation is All You Need",
        1,
        2,
        "2026-06-10",
        4,
        "Multimedia and Human Understanding Group",
        None,
        None,
        "2026-06-12",
        "NiccoBiondi",
        9,
        True,
        "https://niccobiondi.github.io/projects/stationary-tpami/",
    ),
    (
        "2606.13572",
        "ArogyaSutra: A Multi-Agent Framework for Multimodal Medical Reasoning in Indic Languages",
        2,
        2,
        "2026-06-11",
        5,
        "IIT Patna",
        None,
        None,
        "2026-06-12",
        "Agcs12",
        8,
        True,
        None,
    ),
    (
        "2606.06113",
        "Where, What, Why, and Importance: Structured Defect Grounding for Text-to-Image Feedback",
        13,
        2,
        "2026-06-04",
        10,
        "Kolors Team, Kuaishou Technology",
        "https://github.com/nianbai006/SDG",
        5,
        "2026-06-12",
        "P1n3",
        11,
        True,
        "https://huggingface.co/collections/P1n3/sdg",
    ),
    (
        "2606.08103",
        "Revisiting Articulated Parts Perception in Robot Manipulation",
        2,
        2,
        "2026-06-06",
        6,
        "Shanghai Jiao Tong University",
        "https://github.com/enlighten0707/Geometric_Primary_Structure",
        3,
        "2026-06-12",
        "PandaQQ",
        8,
        True,
        "https://enlighten0707.github.io/gps/",
    ),
    (
        "2606.12303",
        "From 2D Grids to 1D Tokens: Reforming Shared Representations for Multimodal Image Fusion",
        12,
        2,
        "2026-06-10",
        4,
        None,
        None,
        None,
        "2026-06-12",
        "Yunqiu",
        7,
        True,
        "https://zju-xyc.github.io/1D-Fusion-Project-Page/",
    ),
    (
        "2606.13289",
        "HYDRA-X: Native Unified Multimodal Models with Holistic Visual Tokenizers",
        25,
        2,
        "2026-06-11",
        14,
        "Nanjing University",
        None,
        None,
        "2026-06-12",
        "zgzaacm",
        9,
        True,
        None,
    ),
    (
        "2606.12243",
        "VIA-SD: Verification via Intra-Model Routing for Speculative Decoding",
        14,
        3,
        "2026-06-10",
        4,
        None,
        None,
        None,
        "2026-06-12",
        "Yunqiu",
        9,
        True,
        "https://zju-xyc.github.io/VIA-SD-Project-Page/",
    ),
    (
        "2606.11662",
        "TreeSeeker: Tree-Structured Trial, Error, and Return in Deep Search",
        10,
        3,
        "2026-06-10",
        11,
        None,
        None,
        None,
        "2026-06-12",
        "mingzhema",
        11,
        True,
        None,
    ),
    (
        "2606.10896",
        "Flash-GMM: A Memory-Efficient Kernel for Scalable Soft Clustering",
        2,
        2,
        "2026-06-09",
        5,
        "IBM Research",
        "https://github.com/IBM/Flash-GMM",
        12,
        "2026-06-12",
        "ohadeytan",
        9,
        True,
        None,
    ),
    (
        "2606.09446",
        "Leveraging Morphology for Historical Script Metrological Analysis",
        1,
        2,
        "2026-06-08",
        4,
        "Ecole des Ponts ParisTech",
        "https://github.com/raphael-baena/morphology4metrology",
        12,
        "2026-06-12",
        "RaphaelBfr",
        6,
        True,
        "https://malamatenia.github.io/morphology4metrology-analysis/",
    ),
    (
        "2606.12282",
        "PianoKontext: Expressive Performance Rendering from Deadpan Context",
        1,
        2,
        "2026-06-10",
        1,
        None,
        "https://github.com/realfolkcode/pianokontext",
        1,
        "2026-06-12",
        "realfolkcode",
        8,
        True,
        "https://realfolkcode.github.io/pianokontext_demo",
    ),
    (
        "2606.11096",
        "IDEAL: In-DEpth ALignment Makes A Discrete Representation AutoEncoder",
        2,
        2,
        "2026-06-09",
        8,
        None,
        "https://github.com/Row11n/IDEAL",
        5,
        "2026-06-12",
        "Row11n",
        8,
        True,
        None,
    ),
    (
        "2606.12575",
        "High-Fidelity Two-Step Image Generation via Teacher-Aligned End-to-End Distillation",
        7,
        3,
        "2026-06-10",
        10,
        "Tongyi-MAI",
        None,
        None,
        "2026-06-12",
        "Cxxs",
        9,
        True,
        None,
    ),
    (
        "2606.13392",
        "MiniMax Sparse Attention",
        103,
        4,
        "2026-06-11",
        11,
        "MiniMax",
        "https://github.com/MiniMax-AI/MSA",
        251,
        "2026-06-12",
        "ryanlee-dev",
        9,
        True,
        None,
    ),
    (
        "2606.09290",
        "Visual Para-Thinker++: A Single-Policy Multi-Agent Framework for Visual Reasoning",
        7,
        2,
        "2026-06-08",
        7,
        None,
        None,
        None,
        "2026-06-12",
        "pianzhikuang",
        13,
        True,
        None,
    ),
    (
        "2606.09304",
        "SG-OPD: Sign-Gated On-Policy Distillation via Sign-Consistency Gating and Phased Teacher Sampling",
        6,
        2,
        "2026-06-08",
        6,
        None,
        None,
        None,
        "2026-06-12",
        "pianzhikuang",
        10,
        True,
        None,
    ),
    (
        "2606.08063",
        "Robust-U1: Can MLLMs Self-Recover Corrupted Visual Content for Robust Understanding?",
        74,
        3,
        "2026-06-06",
        9,
        None,
        "https://github.com/jqtangust/Robust-U1",
        86,
        "2026-06-12",
        "Jiaqi-hkust",
        10,
        True,
        "https://huggingface.co/spaces/Jiaqi-hkust/Robust-U1",
    ),
    (
        "2606.13120",
        "EvoBrowseComp: Benchmarking Search Agents on Evolving Knowledge",
        4,
        2,
        "2026-06-11",
        5,
        None,
        None,
        None,
        "2026-06-12",
        "Krystalan",
        12,
        True,
        "https://huggingface.co/datasets/Krystalan/EvoBrowseComp",
    ),
    (
        "2606.08788",
        "MaskAlign: Token-Subset Representation Alignment for Efficient Diffusion Training",
        4,
        2,
        "2026-06-07",
        8,
        "HKUST",
        None,
        None,
        "2026-06-12",
        "pangly",
        9,
        True,
        None,
    ),
    (
        "2606.13681",
        "EvoArena: Tracking Memory Evolution for Robust LLM Agents in Dynamic Environments",
        118,
        3,
        "2026-06-11",
        14,
        "Massachusetts Institute of Technology",
        "https://github.com/Aiden0526/EvoArena",
        9,
        "2026-06-12",
        "zhiyuanhucs",
        11,
        True,
        "https://aiden0526.github.io/EvoArena/",
    ),
    (
        "2606.08039",
        "MuJoCo-Drones-Gym: A GPU-Accelerated Multi-Drone Simulator for Control and Reinforcement Learning",
        3,
        2,
        "2026-06-06",
        1,
        "TAU Intelligence",
        "https://github.com/tau-intelligence/MuJoCo-drones-gym",
        10,
        "2026-06-12",
        "tayalmanan",
        10,
        True,
        None,
    ),
    (
        "2606.13106",
        "Demystifying Hidden-State Recurrence: Switchable Latent Reasoning with On-Policy Reinforcement Learning",
        18,
        2,
        "2026-06-11",
        9,
        None,
        None,
        None,
        "2026-06-12",
        "EasonFan",
        9,
        True,
        None,
    ),
]

# (arxiv_id, title, upvotes, comments, published, authors_count, organization, github,
#  github_stars, daily_day, submitter, AI keywords, has AI summary, project page)
API_2026_PRETTY = [
    (
        "2607.23193",
        "OmniScope: Modality-Decoupled Token Compression for Omnimodal Large Language Models",
        3,
        2,
        "2026-07-28",
        6,
        None,
        "https://github.com/MAC-AutoML/OmniScope",
        3,
        "2026-07-31",
        "Consonnm",
        0,
        False,
        None,
    ),
    (
        "2607.27958",
        "Σ-Mem: An Online Reliability Memory for LLM-based Multi-Agent Systems",
        11,
        2,
        "2026-07-30",
        3,
        "Nanyang Technological University",
        "https://github.com/declare-lab/sigma-mem",
        1,
        "2026-07-31",
        "Jackbrocp",
        0,
        False,
        None,
    ),
    (
        "2607.28582",
        "β-OPSD: Deriving with Policy Optimization, Training with Self-Distillation",
        17,
        2,
        "2026-07-30",
        5,
        "Furong Huang's Lab at UMD",
        None,
        None,
        "2026-07-31",
        "minghuiliu",
        0,
        False,
        "https://umd-huang-lab.github.io/beta-opsd/",
    ),
    (
        "2607.28308",
        "Beyond Geometric Complementarity: Coherent Overlap in Sparse Mixture-of-Experts Routing",
        2,
        2,
        "2026-07-30",
        3,
        None,
        None,
        None,
        "2026-07-31",
        "Huiyuancs",
        0,
        False,
        None,
    ),
    (
        "2607.16922",
        "Pedestrian Archetypes Extension -- More Pedestrian Models for Autonomous Vehicle Safety Testing",
        0,
        2,
        "2026-07-18",
        9,
        None,
        None,
        None,
        "2026-07-31",
        "jub-aer",
        0,
        False,
        None,
    ),
]

# (arxiv_id, title, upvotes, comments, published, authors_count, organization, github,
#  github_stars, daily_day, submitter, AI keywords, has AI summary, project page)
API_2024 = [
    (
        "2408.08872",
        "xGen-MM (BLIP-3): A Family of Open Large Multimodal Models",
        55,
        3,
        "2024-08-16",
        27,
        None,
        None,
        None,
        None,
        "akhaliq",
        0,
        False,
        None,
    ),
    (
        "2408.08459",
        "JPEG-LM: LLMs as Image Generators with Canonical Codec Representations",
        20,
        1,
        "2024-08-15",
        4,
        None,
        None,
        None,
        None,
        "akhaliq",
        0,
        False,
        None,
    ),
    (
        "2408.08435",
        "Automated Design of Agentic Systems",
        10,
        2,
        "2024-08-15",
        3,
        None,
        None,
        None,
        None,
        "akhaliq",
        0,
        False,
        None,
    ),
    (
        "2408.08332",
        "TurboEdit: Instant text-based image editing",
        10,
        2,
        "2024-08-14",
        5,
        None,
        None,
        None,
        None,
        "akhaliq",
        0,
        False,
        None,
    ),
    (
        "2408.07931",
        "Surgical SAM 2: Real-time Segment Anything in Surgical Video by Efficient Frame Pruning",
        9,
        1,
        "2024-08-15",
        5,
        None,
        None,
        None,
        None,
        "HeverLaw",
        0,
        False,
        None,
    ),
    (
        "2408.07888",
        "Fine-tuning Large Language Models with Human-inspired Learning Strategies in Medical Question Answering",
        3,
        1,
        "2024-08-15",
        4,
        None,
        None,
        None,
        None,
        "yy0514",
        0,
        False,
        None,
    ),
    (
        "2408.08441",
        "D5RL: Diverse Datasets for Data-Driven Deep Reinforcement Learning",
        2,
        1,
        "2024-08-15",
        12,
        None,
        None,
        None,
        None,
        "akhaliq",
        0,
        False,
        None,
    ),
]

# (arxiv_id, title, published, AI summary starts, abstract starts)
RSS_SCRAPED = [
    (
        "2608.19880",
        "EnvHarness: Awakening Static Worlds for Agent Learning",
        "2026-08-21",
        "EnvHarness and EnvRigger dynamically res",
        "LLM agents learn by interacting with env",
    ),
    (
        "2608.18580",
        "FACET: Preserving Source Intent and Executable State in Terminal Task Synthesis",
        "2026-08-20",
        "FACET constructs executable terminal tas",
        "Training terminal agents requires scalab",
    ),
    (
        "2608.20335",
        "4DAnyone: Create Anyone in 4D from a Casual Monocular Video",
        "2026-08-21",
        "4DAnyone reconstructs 4D humans from mon",
        "We present 4DAnyone, a framework for rec",
    ),
    (
        "2608.19799",
        "SWE-bench Science: Can Coding Agents Resolve Engineering Tasks in Science?",
        "2026-08-21",
        "SWE-bench Science benchmarks coding agen",
        "Software increasingly functions as part ",
    ),
    (
        "2608.20336",
        "WithEveryone: Unified Planning and Identity Grounding for Group Image Generation",
        "2026-08-21",
        "WithEveryone enables reliable identity-p",
        "Identity-preserving image generation bec",
    ),
    (
        "2608.20202",
        "MemTrapBench: Benchmarking Cognitive Traps in LLM Memory Use",
        "2026-08-21",
        "Retrieved memories can induce reasoning ",
        "Memory has become a key component of lar",
    ),
    (
        "2608.13120",
        "SkillEvo: Self-Renewing Evolution Gradients from Multi-Turn Interaction Feedback",
        "2026-08-14",
        "SkillEvo improves agent skills through m",
        "Agent Skills are today either hand-autho",
    ),
    (
        "2608.14022",
        "ForgeWM: Progressive Causal Training for Few-Step Action-Conditioned Video World Models",
        "2026-08-21",
        "ForgeWM progressively distills bidirecti",
        "Action-conditioned video world models re",
    ),
    (
        "2608.19854",
        "Repo0: Design-Driven Zero-to-All Code Generation",
        "2026-08-21",
        "Repo0 uses a dual-graph architectural st",
        "Large language model agents have made su",
    ),
    (
        "2608.19758",
        "FlashPrefill V2: Block-Sparse Prefill Attention for Long-Context LLM Serving",
        "2026-08-21",
        "FlashPrefill V2 improves long-context se",
        "Long-context modeling is a pivotal capab",
    ),
    (
        "2608.17744",
        "Thinking in a Low-Resource Language: What SFT Builds, What RL Fixes, What Accuracy Cannot See",
        "2026-08-21",
        "Fine-tuning large mixture-of-experts mod",
        "Take three frontier mixture-of-experts m",
    ),
    (
        "2608.20281",
        "Inject, Align, Recover: Staged Post-Training for Retrieval-Free Document Knowledge Internalization",
        "2026-08-21",
        "IAR is a three-stage post-training frame",
        "Large language models often fail to answ",
    ),
    (
        "2608.19891",
        "EXIMO: VLM Guided Exploration of VLA Policies",
        "2026-08-22",
        "EXIMO efficiently fine-tunes large visio",
        "How to efficiently finetune robot polici",
    ),
    (
        "2608.08466",
        "Hierarchical Self-Improvement: A Framework for Task-Specific Evolvable Agent Harnesses",
        "2026-08-21",
        "Hierarchical Self-Improvement evolves ta",
        "Modern LLM agents are often improved by ",
    ),
    (
        "2608.19936",
        "Towards Quantifying Benchmark Optimization in ASR Models",
        "2026-08-21",
        "High-performing speech recognition model",
        "Public benchmarks are important measures",
    ),
    (
        "2608.16885",
        "τ_0-VLA: a Hierarchical Robot Foundation Model with World-Model-Guided Test-Time Computation",
        "2026-08-21",
        "A hierarchical vision-language-action mo",
        "Long-horizon robot manipulation requires",
    ),
    (
        "2608.15767",
        "TinyCast: Probabilistic Zero-Shot Forecasting with Computed Periodicity",
        "2026-08-21",
        "TinyCast is a compact, attention-free ze",
        "We introduce TinyCast, an attention-free",
    ),
    (
        "2608.13210",
        "NARU: A Benchmark for NARrative Evolution and Cultural Nuance Understanding in Japanese Extreme Long Video",
        "2026-08-21",
        "NARU is a Japanese long-form video bench",
        "Long-form video understanding encompasse",
    ),
    (
        "2608.19861",
        "PolicyGuide: From Guarding One Action to Guiding the Whole Workflow for Policy-Compliant LLM Agents",
        "2026-08-21",
        None,
        "Customer-service LLM agents must follow ",
    ),
    (
        "2608.18027",
        "Chain-of-Experience for Continual LLM Improvement",
        "2026-08-21",
        "Large language models improve continuous",
        "Humans continuously learn from experienc",
    ),
    (
        "2608.12875",
        "The Embedder's Dilemma: LLMs Are Better, but at What Cost?",
        "2026-08-21",
        "Large language models and dedicated embe",
        "Should you replace your text-embedding p",
    ),
    (
        "2608.13547",
        "QuoteBench: How Matched Scores Can Hide Command-Path Failures",
        "2026-08-21",
        "QuoteBench reveals that execution-bounda",
        "LLM coding agents issue Bash commands th",
    ),
    (
        "2608.19759",
        "GOAG: Generative and Object-Agnostic Grasp Planner for Dexterous Robotic Manipulation",
        "2026-08-21",
        "GOAG is an object-agnostic deep generati",
        "Multifingered grasping is a crucial robo",
    ),
    (
        "2608.19776",
        "CoToGrasp: Contact-Topology-Conditioned Dexterous Grasp Synthesis via Canonical Workspace Learning",
        "2026-08-21",
        "CoToGrasp is a generative framework that",
        "Current dexterous grasp planners primari",
    ),
    (
        "2608.19863",
        "Listening Forward: Next Patch Embedding Prediction Enables Scalable Audio Learners",
        "2026-08-22",
        "NAPE uses causal Transformers to predict",
        "Self-supervised learning (SSL) has drive",
    ),
    (
        "2607.21596",
        "FlowEvo: Self-Evolving Agents through the Co-Evolution of Workflows and Executable Skills",
        "2026-08-21",
        "FlowEvo enables large language model age",
        "Large language model agents can adapt to",
    ),
]

# (arxiv_id, title, upvotes, authors_count, first author, published, abstract starts)
RSS_FEEDGEN = [
    (
        "2607.28609",
        "OSReward: Instituting Standardized Evaluation for Cross-Platform Computer-Use Reward Models",
        52,
        23,
        "Qiushi Sun",
        "2026-07-30",
        "Computer-using agents (CUAs) are advanci",
    ),
    (
        "2608.01049",
        "FactorJEPA: Factorizing Monolithic Futures into Layout-Agent-Interaction Channels for Crowded and Chaotic Global South Urban Worlds",
        0,
        6,
        "Kapil Wanaskar",
        "2026-08-02",
        "World models have attracted significant ",
    ),
    (
        "2608.01492",
        "GaussianSelector: Lightweight Human-Guided Object Selection in 3D Gaussian Splatting with Graph Optimization",
        0,
        7,
        "Baihan Yang",
        "2026-08-02",
        "Selecting a complete 3D object from a re",
    ),
    (
        "2608.01481",
        "Interpretable MEG Decoding of Perceived Speech: Cortical Sources and the Stimulus Features That Drive Retrieval",
        46,
        5,
        "Ilia Semenkov",
        "2026-08-02",
        "Short segments of perceived speech can b",
    ),
    (
        "2608.01851",
        "Weights or Skills? A Survey of Robot-Learning Techniques: from Action-Predicting Weights to Robots that Write their Own Skills",
        0,
        6,
        "Gaytri Jena",
        "2026-08-03",
        "Robot learning is splitting into two bet",
    ),
    (
        "2608.03451",
        "DataSpace: Benchmarking Data Agents for Verifiable Analytics over Heterogeneous Workspaces",
        19,
        14,
        "Boyan Li",
        "2026-08-04",
        "Data agents enable natural-language anal",
    ),
    (
        "2608.05424",
        "Invisible Shortcuts: Why Vision Encoders Know Your Camera",
        4,
        5,
        "Vladan Stojnić",
        "2026-08-05",
        "Deep vision models exploit shortcuts, re",
    ),
    (
        "2608.04956",
        "ContextMaster: Interactive Multi-Shot Video Creation via Fixed-Budget Sparse Context Routing",
        5,
        14,
        "Xu Guo",
        "2026-08-05",
        "Recent video models increasingly support",
    ),
    (
        "2608.05137",
        "SmartMage: Dynamic Modality Orchestration for 3D Scene Understanding",
        11,
        5,
        "Yue Zhang",
        "2026-08-05",
        "Understanding 3D scenes is fundamental t",
    ),
    (
        "2608.05369",
        "World-to-Wrist: Task-Conditioned Future Wrist Modeling for Fine-Grained Robot Manipulation",
        14,
        11,
        "Yuhao Pan",
        "2026-08-05",
        "Vision-language-action (VLA) models ofte",
    ),
    (
        "2608.05138",
        "Teaching Nemotron Greek: Mining a Corpus, Adapting Retrieval, and Grounding Generation for Modern Greek across Specialist Domains",
        17,
        2,
        "Ayoub Kirouane",
        "2026-08-05",
        "Modern Greek is absent from NVIDIA's Nem",
    ),
    (
        "2608.05248",
        "WorldClaw: Agentic 3D Open-World Generation at Scale",
        46,
        4,
        "Chunchao Guo",
        "2026-08-05",
        "Generating large-scale, freely explorabl",
    ),
    (
        "2608.05785",
        "Task-Conditional Flow Matching for Balanced Multilingual Text Embedding Adaptation",
        0,
        3,
        "Tirth Bhatt",
        "2026-08-06",
        "Multilingual text embedding models are c",
    ),
    (
        "2608.06216",
        "Continual Learning in Transition",
        2,
        13,
        "Zhiyan Hou",
        "2026-08-06",
        "Classical continual learning (CL) has pr",
    ),
    (
        "2608.06257",
        "MASS: Multiplayer World Models with Authoritative Shared State",
        3,
        9,
        "Ziqi Cai",
        "2026-08-06",
        "Current video world models struggle in m",
    ),
    (
        "2608.05784",
        "Activity Frames: Deterministic Screen-Activity Compilation for Agent Memory and Replay",
        9,
        1,
        "Nossa Iyamu",
        "2026-08-06",
        "Computer-use agents pay full frontier in",
    ),
    (
        "2608.05798",
        "KVAE: Family of Tokenizers for Multimodal Generative Models",
        10,
        14,
        "Andrey Shutkin",
        "2026-08-06",
        "Latent diffusion modeling (LDM), a promi",
    ),
    (
        "2608.06146",
        "PaDoc: Layout-Grounded Parallel Decoding for Document Parsing",
        10,
        11,
        "Hao Yu",
        "2026-08-06",
        "End-to-end document parsers provide a un",
    ),
    (
        "2608.05850",
        "MameLoshnLM: Yiddish Language Model and Evaluation Benchmark",
        10,
        5,
        "Uri Katz",
        "2026-08-06",
        "We present MameLoshnLM, the first open-s",
    ),
    (
        "2608.06352",
        "CalibForge: Adversarial Solver Calibration for Scaling Learnable Terminal Tasks",
        11,
        9,
        "Fanzhe Meng",
        "2026-08-06",
        "Training terminal agents requires execut",
    ),
    (
        "2608.05565",
        "EffectLearner: World-Aware Object-Effect Reasoning for Real-World Video Object Removal",
        12,
        11,
        "Feier Wu",
        "2026-08-06",
        "Video object removal must eliminate not ",
    ),
    (
        "2608.06374",
        "DyPES-VLA: Learning Shared Dynamics Priors and Embodiment-Specific Control for Cross-Embodiment Manipulation",
        15,
        15,
        "Junfeng Li",
        "2026-08-06",
        "Vision-Language-Action (VLA) models have",
    ),
    (
        "2608.06301",
        "HarnessOpt-Bench: Evaluating LLMs at Harness Optimization",
        20,
        7,
        "Varun Ursekar",
        "2026-08-06",
        "As LLMs are increasingly deployed within",
    ),
    (
        "2608.05802",
        "On-Policy Delta Distillation for Multilingual Math Reasoning",
        20,
        4,
        "Byeongho Heo",
        "2026-08-06",
        "On-Policy Distillation (OPD) is emerging",
    ),
    (
        "2608.06020",
        "From Economic Agents to Agentic Economies: A Systems Blueprint for Economic World Models",
        24,
        10,
        "Jiale Han",
        "2026-08-06",
        "Economic World Models (EWMs) are generat",
    ),
    (
        "2608.05631",
        "ChronoVision: Temporal Reasoning via Latent State Reconstruction",
        24,
        9,
        "Yifan Shen",
        "2026-08-06",
        "Multimodal large language models excel a",
    ),
    (
        "2608.06060",
        "Learning from Failures: Retrieval-Centric CoT via Hard Negatives for Unified Multimodal Retrieval",
        26,
        6,
        "Zelong Sun",
        "2026-08-06",
        "Unified multimodal retrieval aims to ide",
    ),
    (
        "2608.06197",
        "EnvACE: Internalizing Environment Dynamics via World Rehearsal for Agentic Reinforcement Learning",
        29,
        12,
        "Zishan Xu",
        "2026-08-06",
        "Training large language model agents for",
    ),
    (
        "2608.05747",
        "GST-Bench: Can VLMs Develop Global Spatial Awareness from Video?",
        30,
        9,
        "Qifeng Zhang",
        "2026-08-06",
        "Spatial intelligence is fundamental to e",
    ),
    (
        "2608.05987",
        "AgentOPSD: Recursive Self-Distillation for Agentic Reinforcement Learning",
        67,
        13,
        "Zi-Han Wang",
        "2026-08-06",
        "Reinforcement learning (RL) with verifia",
    ),
]

# (title, upvotes as shown, authors_count, organization, date as shown, comments)
W3M = [
    ("MURMUR: An Efficient Inference System for Long-Form ASR", "-", 3, None, "May 30", 0),
    (
        "Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context",
        "65",
        671,
        None,
        "Mar 8, 2024",
        6,
    ),
    (
        "Speech-Aware Long Context Pruning and Integration for Contextualized Automatic Speech Recognition",
        "1",
        8,
        None,
        "Nov 14, 2025",
        0,
    ),
    ("MLMA: Towards Multilingual with Mamba Based Architectures", "-", 3, None, "Oct 21, 2025", 0),
    (
        "Whispering Context: Distilling Syntax and Semantics for Long Speech Transcripts",
        "-",
        1,
        None,
        "Aug 18, 2025",
        0,
    ),
    (
        "Mind the Gap: Entity-Preserved Context-Aware ASR Structured Transcriptions",
        "-",
        1,
        None,
        "Jun 28, 2025",
        0,
    ),
    (
        "Libriheavy: a 50,000 hours ASR corpus with punctuation casing and context",
        "1",
        8,
        None,
        "Sep 14, 2023",
        0,
    ),
    ("PromptASR for contextualized ASR with controllable style", "-", 8, None, "Sep 13, 2023", 0),
    ("VIBEVOICE-ASR Technical Report", "24", None, "Microsoft", "Mar 13", 3),
    (
        "ChunkFormer: Masked Chunking Conformer For Long-Form Speech Transcription",
        "1",
        4,
        None,
        "Feb 20, 2025",
        0,
    ),
    ("StepAudio 2.5 Technical Report", "49", 101, None, "May 21", 2),
    (
        "Blending LLMs into Cascaded Speech Translation: KIT's Offline Speech Translation System for IWSLT 2024",
        "1",
        7,
        None,
        "Jun 24, 2024",
        0,
    ),
    (
        "LongSpeech: A Scalable Benchmark for Transcription, Translation and Understanding in Long Speech",
        "1",
        10,
        None,
        "Jan 19",
        0,
    ),
    (
        "ContextASR-Bench: A Massive Contextual Speech Recognition Benchmark",
        "1",
        7,
        None,
        "Jul 8, 2025",
        0,
    ),
    ("How to Train Long-Context Language Models (Effectively)", "2", 4, None, "Oct 3, 2024", 1),
    (
        "LongSkywork: A Training Recipe for Efficiently Extending Context Length in Large Language Models",
        "2",
        15,
        None,
        "Jun 1, 2024",
        2,
    ),
    ("Thus Spake Long-Context Large Language Model", "73", 13, None, "Feb 24, 2025", 6),
    (
        "KV Cache Compression, But What Must We Give in Return? A Comprehensive Benchmark of Long Context Capable Approaches",
        "-",
        13,
        None,
        "Jul 1, 2024",
        0,
    ),
    (
        "inftyBench: Extending Long Context Evaluation Beyond 100K Tokens",
        "1",
        11,
        None,
        "Feb 21, 2024",
        2,
    ),
    (
        "What is Wrong with Perplexity for Long-context Language Modeling?",
        "-",
        8,
        None,
        "Jul 26, 2025",
        0,
    ),
    (
        "L-Eval: Instituting Standardized Evaluation for Long Context Language Models",
        "5",
        7,
        None,
        "Jul 20, 2023",
        0,
    ),
]


# -------------------------------------------------------------------- the HF API, two eras


@pytest.mark.parametrize(
    ("name", "expected"),
    [("01_", API_2026_MINIFIED), ("04_", API_2026_PRETTY), ("11_", API_2024)],
    ids=["01-minified", "04-pretty", "11-2024"],
)
def test_api_json(name, expected):
    result = read(name)
    assert (result.format, result.problems) == ("json", ())
    assert len(result.papers) == len(expected)
    for paper, row in zip(result.papers, expected, strict=True):
        got = (
            paper.arxiv_id,
            paper.title,
            paper.upvotes,
            paper.comments,
            paper.published,
            paper.authors_count,
            paper.organization,
            paper.github,
            paper.github_stars,
            paper.daily_day,
            paper.submitter,
            len(paper.ai_keywords),
            paper.ai_summary is not None,
            paper.project_page,
        )
        published, daily = day(row[4]), day(row[9])
        assert got == (*row[:4], published, *row[5:9], daily, *row[10:])
        assert len(paper.authors) == paper.authors_count
        assert paper.abstract and "\n" not in paper.title


def test_api_2024_titles_lose_their_arxiv_hard_wraps():
    titles = [paper.title for paper in read("11_").papers]
    assert (
        "Surgical SAM 2: Real-time Segment Anything in Surgical Video by Efficient Frame Pruning"
        in titles
    )


def test_api_abstract_github_urls_are_links_not_the_repository():
    # Only `githubRepo` names the repository; the 2024 era has none.
    assert all(paper.github is None for paper in read("11_").papers)


# -------------------------------------------------------------------- RSS feeds


def test_rss_scraped_by_rfeed_splits_the_ai_summary_from_the_abstract():
    result = read("06_")
    assert (result.format, result.problems) == ("feed", ())
    assert len(result.papers) == len(RSS_SCRAPED) == 26
    for paper, (arxiv_id, title, published, summary, abstract) in zip(
        result.papers, RSS_SCRAPED, strict=True
    ):
        assert (paper.arxiv_id, paper.title, paper.published) == (arxiv_id, title, day(published))
        assert paper.abstract.startswith(abstract)
        if summary is None:
            assert paper.ai_summary is None
        else:
            assert paper.ai_summary is not None and paper.ai_summary.startswith(summary)
        for label in ("Abstract ", "Generated by", "AI-generated summary"):
            assert not paper.abstract.startswith(label) and label not in paper.abstract[:400]
        # The scraper shows no counts or authors: unknown, never zero.
        assert (paper.upvotes, paper.comments, paper.authors_count) == (None, None, None)


def test_rss_from_feedgen_reads_its_labelled_paragraphs():
    result = read("08_")
    assert (result.format, result.problems) == ("feed", ())
    assert len(result.papers) == len(RSS_FEEDGEN) == 30
    for paper, (arxiv_id, title, upvotes, authors, first, published, abstract) in zip(
        result.papers, RSS_FEEDGEN, strict=True
    ):
        assert (paper.arxiv_id, paper.title, paper.upvotes) == (arxiv_id, title, upvotes)
        assert (paper.authors_count, paper.authors[0]) == (authors, first)
        assert (paper.published, paper.comments, paper.ai_summary) == (day(published), None, None)
        assert paper.abstract.startswith(abstract)
        assert "Summary:" not in paper.abstract and "Upvotes:" not in paper.abstract
    # A GitHub URL written in the summary is a link of the paper, not a repository link.
    invisible = next(p for p in result.papers if p.arxiv_id == "2608.05424")
    assert invisible.github is None and any("github.com" in url for url in invisible.links)


# -------------------------------------------------------------------- Obsidian Web Clipper

# (arxiv_id, title, upvotes, comments, authors_count, organization, submitter)
OBSIDIAN = [
    (
        "2604.14268",
        "HY-World 2.0: A Multi-Modal World Model for Reconstructing, Generating, and Simulating 3D Worlds",
        1090,
        4,
        45,
        None,
        "taesiri",
    ),
    (
        "2604.15308",
        "RAD-2: Scaling Reinforcement Learning in a Generator-Discriminator Framework",
        207,
        4,
        None,
        "Huazhong University of Science and Technology",
        "Hao605",
    ),
    (
        "2604.14683",
        "DR^{3}-Eval: Towards Realistic and Reproducible Deep Research Evaluation",
        21,
        2,
        19,
        None,
        "taesiri",
    ),
    (
        "2604.14164",
        "How to Fine-Tune a Reasoning Model? A Teacher-Student Cooperation Framework to Synthesize Student-Consistent SFT Data",
        15,
        2,
        9,
        None,
        "njuhzx",
    ),
    (
        "2509.25843",
        "ASGuard: Activation-Scaling Guard to Mitigate Targeted Jailbreaking Attack",
        5,
        3,
        None,
        "Korea University",
        "P-YI",
    ),
    (
        "2604.15284",
        "GlobalSplat: Efficient Feed-Forward 3D Gaussian Splatting via Global Scene Tokens",
        None,
        3,
        None,
        "The Hebrew University of Jerusalem",
        "NoamIssachar",
    ),
    (
        "2604.14125",
        "HiVLA: A Visual-Grounded-Centric Hierarchical Embodied Manipulation System",
        None,
        3,
        11,
        None,
        "Violin-Y",
    ),
    (
        "2604.14228",
        "Dive into Claude Code: The Design Space of Today's and Future AI Agent Systems",
        131,
        1,
        4,
        None,
        "taesiri",
    ),
    (
        "2604.14967",
        "UniDoc-RL: Coarse-to-Fine Visual RAG with Hierarchical Actions and Dense Rewards",
        4,
        2,
        None,
        "DeepGlint",
        "Kaichengalex",
    ),
    (
        "2604.14629",
        "Switch-KD: Visual-Switch Knowledge Distillation for Vision-Language Models",
        5,
        2,
        None,
        "LiAuto Foundation Model",
        "HaoyiSun",
    ),
    (
        "2604.11707",
        "Representations Before Pixels: Semantics-Guided Hierarchical Video Prediction",
        6,
        2,
        3,
        None,
        "Sta8is",
    ),
    (
        "2604.14531",
        "TRACER: Trace-Based Adaptive Cost-Efficient Routing for LLM Classification",
        122,
        3,
        None,
        "DeepRecall",
        "AdinaY",
    ),
    (
        "2604.14062",
        "OneHOI: Unifying Human-Object Interaction Generation and Editing",
        5,
        2,
        None,
        "Nanyang Technological University",
        "jiuntian",
    ),
    (
        "2604.15231",
        "RadAgent: A tool-using AI agent for stepwise interpretation of chest computed tomography",
        None,
        2,
        None,
        "ETH Zurich",
        "jw-sohn",
    ),
    (
        "2604.14922",
        "LongAct: Harnessing Intrinsic Activation Patterns for Long-Context Reinforcement Learning",
        None,
        2,
        7,
        None,
        "Bowen232",
    ),
    (
        "2604.15311",
        "LeapAlign: Post-Training Flow Matching Models at Any Generation Step by Building Two-Step Trajectories",
        None,
        1,
        None,
        "ByteDance Seed",
        "taesiri",
    ),
    (
        "2604.15309",
        "MM-WebAgent: A Hierarchical Multimodal Web Agent for Webpage Generation",
        5,
        1,
        None,
        "Microsoft Research",
        "taesiri",
    ),
    ("2604.14265", "Reinforcement Learning via Value Gradient Flow", 3, 2, 4, None, "ryanxhr"),
    (
        "2604.12966",
        "Boosting Visual Instruction Tuning with Self-Supervised Guidance",
        12,
        2,
        None,
        "Valeo",
        "SophiaSirko",
    ),
    (
        "2604.13226",
        "KV Packet: Recomputation-Free Context-Independent KV Caching for LLMs",
        6,
        2,
        None,
        "Technical University of Munich",
        "ChuangtaoChen-TUM",
    ),
    (
        "2604.04514",
        "SuperLocalMemory V3.3: The Living Brain -- Biologically-Inspired Forgetting, Cognitive Quantization, and Multi-Channel Retrieval for Zero-LLM Agent Memory Systems",
        None,
        2,
        None,
        "Qualixar",
        "Iamvarun369",
    ),
    (
        "2604.14914",
        "Beyond Prompts: Unconditional 3D Inversion for Out-of-Distribution Shapes",
        None,
        2,
        4,
        None,
        "leopoldmaillard",
    ),
    (
        "2604.14572",
        "Don't Retrieve, Navigate: Distilling Enterprise Knowledge into Navigable Agent Skills for QA and RAG",
        1,
        2,
        3,
        None,
        "dukesun99",
    ),
    (
        "2604.11661",
        "Towards Autonomous Mechanistic Reasoning in Virtual Cells",
        3,
        2,
        None,
        "KAIST AI",
        "yunhuijang",
    ),
    (
        "2604.07466",
        "Cross-Tokenizer LLM Distillation through a Byte-Level Interface",
        None,
        2,
        5,
        None,
        "FengTing",
    ),
    ("2604.14430", "Three-Phase Transformer", 4, 5, None, "BrainsBuild", "MohammadAbuAyyash"),
    (
        "2604.13618",
        "C2: Scalable Rubric-Augmented Reward Modeling from Binary Preferences",
        1,
        2,
        2,
        None,
        "Akira-k",
    ),
    (
        "2603.27844",
        "Model Capability Dominates: Inference-Time Optimization Lessons from AIMO 3",
        1,
        2,
        1,
        None,
        "natnitaract",
    ),
    (
        "2211.16780",
        "An Optimal Transport-driven Approach for Cultivating Latent Space in Online Incremental Learning",
        None,
        2,
        9,
        None,
        "quandao10",
    ),
]


def test_obsidian_web_clipper():
    # Titles are `### ` headings with no link; the id comes from the card's other links; a
    # count linking to `#community` is the comment count, one linking to the paper the upvotes
    # (a card whose upvote count the clip lost has None). The page has no paper dates: the
    # date is unknown and the Daily Papers day is the page's own (`source: …/date/2026-04-17`).
    result = read("10_")
    assert (result.format, result.problems) == ("markdown", ())
    assert len(result.papers) == len(OBSIDIAN) == 29
    for paper, row in zip(result.papers, OBSIDIAN, strict=True):
        got = (
            paper.arxiv_id,
            paper.title,
            paper.upvotes,
            paper.comments,
            paper.authors_count,
            paper.organization,
            paper.submitter,
        )
        assert got == row
        assert (paper.published, paper.daily_day) == (None, date(2026, 4, 17))
        assert (paper.abstract, paper.github) == ("", None)


# -------------------------------------------------------------------- w3m dump, cut before its links


def test_w3m_dump_cut_before_its_reference_list():
    result = read("pages_w3m", captured_on=date(2026, 6, 29))
    assert result.format == "text-browser"
    assert len(result.papers) == len(W3M) == 21
    for paper, (title, upvotes, authors, org, shown, comments) in zip(
        result.papers, W3M, strict=True
    ):
        month, _, rest = shown.partition(" ")
        day_of_month, _, year = rest.partition(", ")
        expected_date = date(int(year or 2026), MONTHS[month], int(day_of_month))
        assert (paper.title, paper.published) == (title, expected_date)
        assert paper.upvotes == (0 if upvotes == "-" else int(upvotes))
        assert (paper.comments, paper.authors_count, paper.organization) == (comments, authors, org)
        assert paper.arxiv_id is None  # the reference list was cut off
        assert paper.abstract
    assert result.papers[0].links == ("https://github.com/uw-syfi/Murmur",)
    cut, missing = result.problems
    assert (cut.line, "Training Long-Context Vision-Language Models" in cut.message) == (614, True)
    assert "arXiv ids are unknown" in missing.message


MONTHS = {m: n for n, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}


# -------------------------------------------------------------------- simplified trending page

# (title, authors_count, repository, stars)
TRENDING = [
    (
        "Agent Lightning: Train ANY AI Agents with Reinforcement Learning",
        8,
        "microsoft/agent-lightning",
        11300,
    ),
    ("HeartMuLa: A Family of Open Sourced Music Foundation Models", 28, "HeartMuLa/heartlib", 1320),
    ("MemOS: A Memory OS for AI System", 39, "MemTensor/MemOS", 4510),
    (
        "ShapeR: Robust Conditional 3D Shape Generation from Casual Captures",
        None,
        "facebookresearch/ShapeR",
        476,
    ),
    (
        "Conditional Memory via Scalable Lookup: A New Axis of Sparsity for Large Language Models",
        None,
        "deepseek-ai/Engram",
        3160,
    ),
    ("SimpleMem: Efficient Lifelong Memory for LLM Agents", 8, "aiming-lab/SimpleMem", 1770),
    ("Continuous Audio Language Models", 5, "kyutai-labs/pocket-tts", 2140),
    (
        "dots.ocr: Multilingual Document Layout Parsing in a Single Vision-Language Model",
        None,
        "rednote-hilab/dots.ocr",
        7020,
    ),
    (
        "SmolDocling: An ultra-compact vision-language model for end-to-end multi-modal document conversion",
        None,
        "docling-project/docling",
        50800,
    ),
    (
        "EverMemOS: A Self-Organizing Memory Operating System for Structured Long-Horizon Reasoning",
        11,
        "EverMind-AI/EverMemOS",
        1880,
    ),
    (
        "MiroThinker: Pushing the Performance Boundaries of Open-Source Research Agents via Model, Context, and Interactive Scaling",
        54,
        "MiroMindAI/MiroThinker",
        5590,
    ),
]


def test_simplified_trending_page_gives_each_card_once_without_dates():
    result = read("pages_trending")
    assert result.format == "trending"
    assert len(result.papers) == len(TRENDING) == 11
    for paper, (title, authors, repo, stars) in zip(result.papers, TRENDING, strict=True):
        assert (paper.title, paper.authors_count) == (title, authors)
        assert (paper.github, paper.github_stars) == ("https://github.com/" + repo, stars)
        # No ids, dates, upvotes or comments on this rendering: unknown, never invented.
        assert (paper.arxiv_id, paper.published, paper.upvotes, paper.comments) == (None,) * 4
        assert paper.abstract
    # The copy ends inside the last card's repository link.
    (cut,) = result.problems
    assert (cut.line, "PaddleOCR-VL" in cut.message) == (167, True)


@pytest.mark.parametrize(
    ("name", "rendering"),
    [
        ("01_", "json"),
        ("04_", "json"),
        ("11_", "json"),
        ("06_", "feed"),
        ("08_", "feed"),
        ("10_", "markdown"),
        ("pages_w3m", "text-browser"),
        ("pages_trending", "trending"),
    ],
)
def test_every_capture_is_detected_as_its_rendering(name, rendering):
    assert read(name).format == rendering


@pytest.mark.parametrize(
    ("name", "forced"),
    [
        ("pages_w3m_reflinks", "paper-page"),
        ("pages_w3m_reflinks", "markdown"),
        ("pages_trending_pwc", "paper-page"),
        ("10_obsidian", "text-browser"),
        ("04_api-json", "export"),
        ("06_rss", "json"),
    ],
)
def test_a_format_forced_on_what_shows_none_of_its_marks_is_refused(name, forced):
    """`--format` names the reader; one that sees none of its marks would find papers in
    anything (`# Web source` as a title), so it refuses in one sentence naming the detected one."""
    from papershelf.db.parse import ParseError

    path = next(CAPTURES.glob(name + "*"))
    detected = read(name).format
    with pytest.raises(ParseError, match=f"does not look like {forced} .* but like {detected}: "):
        parse_bytes(
            path.read_bytes(), source=path.name, captured_on=date(2026, 9, 1), format=forced
        )


def test_prose_that_names_the_data_element_is_not_a_saved_page():
    """SOURCES.md describes feeds built from `data-target=DailyPapers`: a note, not HTML."""
    from papershelf.db.parse import ParseError, detect_format

    text = (CAPTURES / "SOURCES.md").read_text()
    assert "data-target=DailyPapers" in text
    assert detect_format(text) != "html"
    with pytest.raises(ParseError, match="does not look like a Hugging Face Daily Papers page"):
        read("SOURCES")
